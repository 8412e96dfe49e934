import Foundation

/// A phone number Apple can text a code to, from the `GET {AUTH}` page.
public struct TrustedPhoneNumber: Sendable, Equatable {
    public let id: Int
    /// As Apple shows it, `•` replaced by `*` (icloudpd does the same).
    public let obfuscatedNumber: String
}

/// Finds the trusted numbers in the HTML of `GET {AUTH}`: the JSON text of
/// `<script type="application/json" class="boot_args">` at
/// `direct.twoSV.phoneNumberVerification.trustedPhoneNumbers[]`.
public enum TrustedPhoneNumbers {
    public static func parse(html: String) -> [TrustedPhoneNumber] {
        guard let tag = html.range(of: "class=\"boot_args\""),
              let open = html.range(of: ">", range: tag.upperBound..<html.endIndex),
              let close = html.range(of: "</script>", range: open.upperBound..<html.endIndex),
              let json = try? JSON.parse(String(html[open.upperBound..<close.lowerBound])),
              let list = json["direct"]?["twoSV"]?["phoneNumberVerification"]?["trustedPhoneNumbers"]?.arrayValue
        else { return [] }
        return list.compactMap { entry in
            guard let id = entry["id"]?.intValue else { return nil }
            let number = (entry["obfuscatedNumber"]?.stringValue ?? "").replacingOccurrences(of: "•", with: "*")
            return TrustedPhoneNumber(id: id, obfuscatedNumber: number)
        }
    }
}
