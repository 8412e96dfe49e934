import Foundation
import Testing
@testable import Shared

/// The pure pieces of the sign-in: answer parsing, the phone list page, account data, endpoints.
@Suite struct SignInFlowPartsTests {
    @Test func twoFactorAnswers() {
        #expect(TwoFactorFlow.parse("123456", phoneCount: 2) == .code("123456"))
        #expect(TwoFactorFlow.parse(" 123 456 ", phoneCount: 2) == .code("123456"))
        #expect(TwoFactorFlow.parse("123-456\r", phoneCount: 0) == .code("123456"))
        #expect(TwoFactorFlow.parse("", phoneCount: 2) == .pushAgain)
        #expect(TwoFactorFlow.parse("B", phoneCount: 2) == .phone(1))
        #expect(TwoFactorFlow.parse("c", phoneCount: 2) == .invalid("Invalid index, should be (a..b). Try again"))
        #expect(TwoFactorFlow.parse("a", phoneCount: 0) == .invalid("Invalid code, should be six digits. Try again"))
        #expect(TwoFactorFlow.parse("12345", phoneCount: 2) == .invalid("Invalid code, should be six digits. Try again"))
        #expect(TwoFactorFlow.parse("1234567", phoneCount: 2) == .invalid("Invalid code, should be six digits. Try again"))
    }

    @Test func trustedPhonesFromBootArgs() {
        let html = """
            <html><script type="application/json" class="boot_args">
            {"direct":{"twoSV":{"phoneNumberVerification":{"trustedPhoneNumbers":[
              {"id":1,"obfuscatedNumber":"(•••) •••-••12","pushMode":"sms"},{"id":3,"obfuscatedNumber":"+44 •• 34"}]}}}}
            </script></html>
            """
        #expect(TrustedPhoneNumbers.parse(html: html) == [TrustedPhoneNumber(id: 1, obfuscatedNumber: "(***) ***-**12"),
                                                          TrustedPhoneNumber(id: 3, obfuscatedNumber: "+44 ** 34")])
        #expect(TrustedPhoneNumbers.parse(html: "<html>no args</html>").isEmpty)
    }

    @Test func requiresTwoFactorLikeIcloudpd() throws {
        func data(_ text: String) throws -> AccountData { try AccountData(body: Data(text.utf8)) }
        let challenged = try data(#"{"dsInfo":{"dsid":"1","hsaVersion":2,"hasICloudQualifyingDevice":true},"hsaChallengeRequired":true,"hsaTrustedBrowser":false,"webservices":{"ckdatabasews":{"url":"https://p1.example"}}}"#)
        #expect(challenged.requiresTwoFactor)
        #expect(challenged.dsid == "1")
        #expect(challenged.webserviceURL("ckdatabasews") == "https://p1.example")
        let trusted = try data(#"{"dsInfo":{"dsid":12,"hsaVersion":2,"hasICloudQualifyingDevice":true},"hsaChallengeRequired":false,"hsaTrustedBrowser":true}"#)
        #expect(!trusted.requiresTwoFactor)
        #expect(trusted.dsid == "12")
        let noDevice = try data(#"{"dsInfo":{"dsid":"1","hsaVersion":2,"hasICloudQualifyingDevice":false},"hsaChallengeRequired":true}"#)
        #expect(!noDevice.requiresTwoFactor)
    }

    @Test func serviceErrors() {
        #expect(AppleServiceErrors(body: Data(#"{"service_errors":[{"code":"-21669"}],"hasError":true}"#.utf8)).isWrongCode)
        #expect(AppleServiceErrors(body: Data(#"{"serviceErrors":[{"code":"-20209","message":"x"}]}"#.utf8)).isLocked)
        #expect(AppleServiceErrors(body: Data(#"{"hasError":true}"#.utf8)).isEmpty == false)
        #expect(AppleServiceErrors(body: Data()).isEmpty)
    }

    @Test func endpointOverridesForTesting() {
        let plain = AuthEndpoints(domain: .cn, environment: [:])
        #expect(plain == AuthEndpoints(domain: .cn))
        let fake = AuthEndpoints(domain: .com, environment: ["ICLOUDPD_AUTH_ENDPOINT": "http://127.0.0.1:9/appleauth/auth/",
                                                             "ICLOUDPD_SETUP_ENDPOINT": "http://127.0.0.1:9/setup/ws/1"])
        #expect(fake.signinInitURL == "http://127.0.0.1:9/appleauth/auth/signin/init")
        #expect(fake.validateURL == "http://127.0.0.1:9/setup/ws/1/validate")
        #expect(fake.home == "https://www.icloud.com")
    }

    @Test func everyErrorHasItsExitCode() {
        #expect(SignInError.wrongPassword.exitCode == .authentication)
        #expect(SignInError.wrongCode.exitCode == .authentication)
        #expect(SignInError.accountLocked.exitCode == .authentication)
        #expect(SignInError.codeNeeded.exitCode == .twoFactorNeeded)
        #expect(SignInError.throttled.exitCode == .runtime)
        #expect(SignInError.network("x").exitCode == .runtime)
        for error in [SignInError.noPassword, .wrongPassword, .accountLocked, .wrongCode, .codeNeeded, .throttled,
                      .network("x"), .unexpected("y"), .corruptSessionFiles(path: "/p"), .fileSystem("z"),
                      .wrongDomain("cn"), .serviceNotActivated] {
            let message = error.message(username: "u@example.com")
            #expect(!message.contains("\n"))
            #expect(message.hasSuffix("."))
        }
    }
}
