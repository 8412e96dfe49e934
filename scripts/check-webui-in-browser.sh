#!/usr/bin/env bash
# Loads icloudpd's two-factor web page (--mfa-provider webui) in headless Chromium (Debian's
# `chromium`, installed when missing and we may), takes a screenshot, submits a code through the
# page's own form, and checks that the waiting icloudpd goes on and signs in.
#
#   scripts/check-webui-in-browser.sh [SCREENSHOT.png]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-system-packages.sh
if ! command -v chromium >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "installing chromium" >&2
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
        echo "chromium is missing (sudo apt-get install chromium)" >&2
        exit 1
    fi
fi
swift build -q
bin=$(swift build --show-bin-path)
work=$(mktemp -d)
screenshot=${1:-$work/webui.png}
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
field() { sed -E "s/.*\"$1\":\"([^\"]+)\".*/\\1/" <<<"$2"; }

# The fake iCloud, whose demo Apple ID needs a two-factor code (123456).
coproc SANDBOX { exec "$bin/photos-sandbox" --import-path "$work" --icloud --icloud-photos 2 --exit-on-stdin-eof; }
read -r info <&"${SANDBOX[0]}"
for variable in ICLOUDPD_AUTH_ENDPOINT ICLOUDPD_AUTH_ROOT_ENDPOINT ICLOUDPD_SETUP_ENDPOINT ICLOUDPD_HOME_ENDPOINT; do
    export "$variable=$(field "$variable" "$info")"
done
: >"$work/icloudpd.log"
ICLOUD_PASSWORD=$(field password "$info") "$bin/icloudpd" --username "$(field username "$info")" \
    --cookie-directory "$work/cookies" --auth-only --mfa-provider webui --webui-listen 127.0.0.1:0 >"$work/icloudpd.log" 2>&1 &
icloudpd=$!

url=""
for _ in $(seq 100); do
    url=$(sed -n 's/.*Web page: \(http[^ ]*\).*/\1/p' "$work/icloudpd.log" | head -1 || true)
    [ -n "$url" ] && curl -sf "${url}status" | grep -q '"awaiting":"code"' && break
    sleep 0.2
done
curl -sf "${url}status" | grep -q '"awaiting":"code"' || { cat "$work/icloudpd.log" >&2; echo "the page never asked for a code" >&2; exit 1; }
echo "==> icloudpd waits for a code at $url" >&2

# Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe: NUL-separated
# JSON on fds 3 and 4, no extra package): load the page, screenshot it, type the code into its
# form and press its button, then read the page it comes back to.
answer=$(python3 - "$url" "$screenshot" "$work/profile" <<'PY'
import base64, json, os, subprocess, sys, time
url, screenshot, profile = sys.argv[1:4]
to_chrome_r, to_chrome_w = os.pipe()
from_chrome_r, from_chrome_w = os.pipe()
def child():
    os.dup2(to_chrome_r, 3); os.dup2(from_chrome_w, 4)
chrome = subprocess.Popen(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
                           "--user-data-dir=" + profile, "--window-size=800,700", "about:blank"],
                          pass_fds=(3, 4), preexec_fn=child,  # close_fds runs after preexec_fn: keep 3 and 4
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
os.close(to_chrome_r); os.close(from_chrome_w)

buffer = b""
next_id = 0
events = []
def send(method, params=None, session=None):
    global next_id, buffer
    next_id += 1
    message = {"id": next_id, "method": method, "params": params or {}}
    if session: message["sessionId"] = session
    os.write(to_chrome_w, json.dumps(message).encode() + b"\0")
    while True:
        while b"\0" not in buffer:
            chunk = os.read(from_chrome_r, 65536)
            if not chunk: raise SystemExit("chromium went away")
            buffer += chunk
        line, buffer = buffer.split(b"\0", 1)
        reply = json.loads(line)
        if reply.get("id") == next_id:
            if "error" in reply: raise SystemExit(f"{method}: {reply['error']}")
            return reply.get("result", {})
        events.append(reply)
def evaluate(session, expression):
    return send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session)["result"].get("value")
def wait_for(session, expression, timeout=15):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if evaluate(session, expression): return True
        time.sleep(0.1)
    return False
target = send("Target.createTarget", {"url": url})["targetId"]
session = send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
if not wait_for(session, "document.readyState == 'complete' && !!document.querySelector('form[action=\"/code\"] input[name=code]')"):
    raise SystemExit("the page shows no code form")
png = send("Page.captureScreenshot", {"format": "png"}, session)["data"]
open(screenshot, "wb").write(base64.b64decode(png))
evaluate(session, "document.querySelector('form[action=\"/code\"] input[name=code]').focus()")
send("Input.insertText", {"text": "123456"}, session)
evaluate(session, "document.querySelector('form[action=\"/code\"] button[type=submit]').click()")
if not wait_for(session, "document.readyState == 'complete' && !document.querySelector('input[name=code]') && !!document.getElementById('state')"):
    raise SystemExit("the page still asks for a code")
print(evaluate(session, "document.getElementById('state').textContent"))
try: send("Browser.close")
except SystemExit: pass
chrome.wait(timeout=10)
PY
) || { echo "driving Chromium failed" >&2; exit 1; }
[ -s "$screenshot" ] || { echo "no screenshot" >&2; exit 1; }
echo "==> screenshot: $screenshot" >&2
echo "==> the page after the code: $answer" >&2

for _ in $(seq 100); do kill -0 "$icloudpd" 2>/dev/null || break; sleep 0.2; done
status=0
wait "$icloudpd" || status=$?
grep -q "Authentication completed successfully" "$work/icloudpd.log" && [ "$status" = 0 ] \
    || { cat "$work/icloudpd.log" >&2; echo "icloudpd did not go on (exit $status)" >&2; exit 1; }
exec {SANDBOX[1]}>&-
echo "webui check passed: the code submitted in Chromium signed icloudpd in"
