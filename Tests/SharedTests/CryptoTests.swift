import Foundation
import Testing
@testable import Shared

@Suite struct CryptoTests {
    @Test func sha256KnownAnswers() {
        #expect(Crypto.sha256(Data("abc".utf8)).hexString
            == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Crypto.sha256(Data()).hexString
            == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Crypto.sha256(Data("ab".utf8), Data("c".utf8)) == Crypto.sha256(Data("abc".utf8)))
    }

    @Test func hmacSHA256RFC4231() {
        // Case 1
        let key1 = Data(repeating: 0x0b, count: 20)
        #expect(Crypto.hmacSHA256(key: key1, data: Data("Hi There".utf8)).hexString
            == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        // Case 2
        #expect(Crypto.hmacSHA256(key: Data("Jefe".utf8), data: Data("what do ya want for nothing?".utf8)).hexString
            == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        // Case 6: key longer than the block size
        let key6 = Data(repeating: 0xaa, count: 131)
        #expect(Crypto.hmacSHA256(key: key6, data: Data("Test Using Larger Than Block-Size Key - Hash Key First".utf8)).hexString
            == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test func hmacEmptyKeyAndData() {
        #expect(Crypto.hmacSHA256(key: Data(), data: Data()).hexString
            == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }

    @Test func pbkdf2KnownAnswers() throws {
        #expect(try Crypto.pbkdf2SHA256(password: Data("password".utf8), salt: Data("salt".utf8), iterations: 1, length: 32).hexString
            == "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b")
        #expect(try Crypto.pbkdf2SHA256(password: Data("password".utf8), salt: Data("salt".utf8), iterations: 4096, length: 32).hexString
            == "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a")
        #expect(try Crypto.pbkdf2SHA256(password: Data("passwordPASSWORDpassword".utf8),
                                        salt: Data("saltSALTsaltSALTsaltSALTsaltSALTsalt".utf8),
                                        iterations: 4096, length: 40).hexString
            == "348c89dbcbd32b2f32d814b8116e84cf2b17347ebc1800181c4e2a1fb8dd53e1c635518c7dac47e9")
        #expect(throws: CryptoError.self) {
            try Crypto.pbkdf2SHA256(password: Data(), salt: Data(), iterations: 0, length: 32)
        }
    }

    @Test func randomBytes() throws {
        let a = try Crypto.randomBytes(count: 32)
        let b = try Crypto.randomBytes(count: 32)
        #expect(a.count == 32 && b.count == 32 && a != b)
        #expect(try Crypto.randomBytes(count: 0).isEmpty)
    }

    @Test func hexRoundTrip() {
        let d = Data([0x00, 0x01, 0xab, 0xff])
        #expect(d.hexString == "0001abff")
        #expect(Data(hexString: "0001ABff") == d)
        #expect(Data(hexString: "abc") == nil)
        #expect(Data(hexString: "zz") == nil)
    }

    @Test func bigNumberPaddingAndArithmetic() {
        let n = BigNumber(Data([0x00, 0x00, 0x01, 0x02]))
        #expect(n.bytes == Data([0x01, 0x02]))
        #expect(n.bytes(paddedTo: 4) == Data([0, 0, 1, 2]))
        #expect(n.bytes(paddedTo: 1) == nil)
        #expect(BigNumber(Data()).isZero)
        let r = BigNumber.modExp(BigNumber(word: 3), BigNumber(word: 5), BigNumber(word: 7)) // 243 mod 7 = 5
        #expect(r.bytes == Data([5]))
        #expect(BigNumber.modSub(BigNumber(word: 2), BigNumber(word: 5), BigNumber(word: 7)).bytes == Data([4]))
    }
}
