import Foundation

/// The HSA2 second factor (docs/references.md#icloudpd-sign-in and
/// #apple-sign-in-changes-after-icloudpd): ask Apple to push a code to the trusted
/// devices, then ask the user for that code or for a phone to text one to, and verify it.
struct TwoFactorFlow: Sendable {
    let session: ICloudSession
    let prompts: SignInPrompts
    let maxAttempts: Int

    /// What the user typed.
    enum Answer: Equatable {
        case pushAgain
        case code(String)
        case phone(Int)
        case invalid(String)
    }

    func run() async throws(SignInError) {
        let phones = try await trustedPhones()
        await push()
        var rejected = 0
        let prompt: String
        if phones.isEmpty {
            prompt = "Please enter two-factor authentication code"
        } else {
            for (index, phone) in phones.enumerated() { TerminalInput.writeAll(1, "  \(Self.letter(index)): \(phone.obfuscatedNumber)\n") }
            prompt = "Please enter two-factor authentication code or device index (a..\(Self.letter(phones.count - 1))) to send SMS with a code"
        }
        while true {
            guard let line = prompts.answer(prompt) else { throw rejected > 0 ? .wrongCode : .codeNeeded }
            switch Self.parse(line, phoneCount: phones.count) {
            case .pushAgain:
                Log.info("Asking Apple to send a new code to your devices.")
                await push()
            case .invalid(let why):
                Log.error(why)
            case .code(let code):
                if try await verify(code: code, phone: nil) { return }
                rejected += 1
            case .phone(let index):
                let phone = phones[index]
                try await sendSMS(to: phone)
                guard let smsLine = prompts.answer("Please enter two-factor authentication code that you received over SMS") else {
                    throw rejected > 0 ? .wrongCode : .codeNeeded
                }
                guard case .code(let code) = Self.parse(smsLine, phoneCount: 0) else {
                    Log.error("Invalid code, should be six digits. Try again")
                    continue
                }
                if try await verify(code: code, phone: phone) { return }
                rejected += 1
            }
            if rejected >= maxAttempts { throw .wrongCode }
        }
    }

    static func letter(_ index: Int) -> Character { Character(UnicodeScalar(UInt8(97 + index))) }

    /// icloudpd's rules: a letter in range picks a phone; otherwise only the digits count and
    /// they must be exactly six (kei); an empty answer asks Apple for a new push.
    static func parse(_ raw: String, phoneCount: Int) -> Answer {
        let text = raw.trimmingCharacters(in: .whitespaces).lowercased()
        if text.isEmpty { return .pushAgain }
        if text.count == 1, let scalar = text.unicodeScalars.first, ("a"..."z").contains(scalar) {
            let index = Int(scalar.value) - 97
            guard phoneCount > 0 else { return .invalid("Invalid code, should be six digits. Try again") }
            return index < phoneCount ? .phone(index) : .invalid("Invalid index, should be (a..\(letter(phoneCount - 1))). Try again")
        }
        let digits = text.filter(\.isASCII).filter(\.isNumber)
        guard digits.count == 6 else { return .invalid("Invalid code, should be six digits. Try again") }
        return .code(String(digits))
    }

    /// `GET {AUTH}`: the HTML page whose boot args list the trusted phone numbers.
    func trustedPhones() async throws(SignInError) -> [TrustedPhoneNumber] {
        let headers = await session.authHeaders().filter { $0.name.hasPrefix("X-Apple") || $0.name == "scnt" }
        let response = try await session.send("GET", session.endpoints.auth, headers: headers)
        guard response.status == 200 else { return [] }
        return TrustedPhoneNumbers.parse(html: String(decoding: response.body, as: UTF8.self))
    }

    /// `PUT {AUTH}/verify/trusteddevice/securitycode` without a body: push a code to the devices.
    func push() async {
        let headers = await session.authHeaders(accept: "application/json")
        do {
            let response = try await session.send("PUT", session.endpoints.trustedDeviceCodeURL, headers: headers, retry: .never)
            if !response.isSuccess { Log.debug("Code push answered \(response.status)") }
        } catch {
            Log.debug("Code push failed: \(error)")
        }
    }

    func sendSMS(to phone: TrustedPhoneNumber) async throws(SignInError) {
        var headers = await session.authHeaders()
        headers.removeAll { $0.name == "Content-Type" }
        headers.append(("Content-Type", "application/json; charset=utf-8"))
        let body = Data(#"{"phoneNumber": {"id": \#(phone.id)}, "mode": "sms"}"#.utf8)
        let response = try await session.send("PUT", session.endpoints.phoneCodeSendURL, headers: headers, body: body, retry: .never)
        try ICloudSignIn.checkThrottle(response)
        guard response.isSuccess else { throw .unexpected("Failed to send two-factor authentication code (\(response.status))") }
    }

    /// True when Apple accepts the code; false when it says the code is wrong.
    func verify(code: String, phone: TrustedPhoneNumber?) async throws(SignInError) -> Bool {
        let url: String
        let body: Data
        var headers = await session.authHeaders(accept: "application/json")
        if let phone {
            url = session.endpoints.phoneCodeURL
            body = Data(#"{"phoneNumber": {"id": \#(phone.id)}, "securityCode": {"code": "\#(code)"}, "mode": "sms"}"#.utf8)
            headers.removeAll { $0.name == "Accept" }
            headers.append(("Accept", "application/json; charset=utf-8"))
        } else {
            url = session.endpoints.trustedDeviceCodeURL
            body = Data(#"{"securityCode": {"code": "\#(code)"}}"#.utf8)
        }
        let response = try await session.send("POST", url, headers: headers, body: body, retry: .never)
        try ICloudSignIn.checkThrottle(response)
        let errors = AppleServiceErrors(body: response.body)
        if response.isSuccess && errors.isEmpty {
            Log.debug("Code verified")
            return true
        }
        if errors.isLocked { throw .accountLocked }
        if (400..<500).contains(response.status) || errors.isWrongCode {
            Log.error("Code verification failed.")
            return false
        }
        throw .unexpected("code verification answered \(response.status)")
    }
}
