import Foundation
import Testing
@testable import Shared

@Suite struct FileNamingTests {
    @Test(arguments: [
        ("IMG_0001.HEIC", ("IMG_0001", ".HEIC")), (".jpg", (".jpg", "")), ("a.b.c", ("a.b", ".c")),
        ("..x", ("..x", "")), ("/d.d/name", ("/d.d/name", "")), ("..a.b", ("..a", ".b")), ("noext", ("noext", "")),
    ])
    func splitext(_ input: String, _ expected: (String, String)) {
        let r = PythonPath.splitext(input)
        #expect(r.root == expected.0 && r.ext == expected.1)
    }

    @Test func normpathAndJoin() {
        #expect(PythonPath.normpath("/p/") == "/p")
        #expect(PythonPath.normpath("p/./a//b/../c") == "p/a/c")
        #expect(PythonPath.normpath("//p") == "//p")
        #expect(PythonPath.normpath("///p") == "/p")
        #expect(PythonPath.normpath("../a") == "../a")
        #expect(PythonPath.normpath("/..") == "/")
        #expect(PythonPath.normpath("") == ".")
        #expect(PythonPath.join("/p", "") == "/p/")
        #expect(PythonPath.join("/p", "/abs") == "/abs")
    }

    @Test func dedupSuffixOnWholePath() {
        #expect(PythonPath.dedupPath("/p/IMG_7744.HEIC", size: 29677) == "/p/IMG_7744-29677.HEIC")
        #expect(PythonPath.dedupPath("/p/IMG_7744-medium.JPG", size: 8071) == "/p/IMG_7744-medium-8071.JPG")
        // icloudpd quirk 22: a dot-less name in a dotted folder mangles the folder.
        #expect(PythonPath.dedupPath("/a.b/name", size: 5) == "/a-5.b/name")
        #expect(PythonPath.dedupPath("/a/name", size: 5) == "/a/name")
    }

    @Test func cleaningAndUnicode() {
        #expect(FileNaming.cleanFilename("a<b>c:d\"e/f\\g|h?i*j\u{0}k") == "a_b_c_d_e_f_g_h_i_j_k")
        #expect(FileNaming.removeUnicode("Café del Mar.heic") == "Caf del Mar.heic")
        #expect(FileNaming.removeUnicode("Привет мир.MOV") == " .MOV")
        // Decomposed é: the combining mark is dropped too, the e stays.
        #expect(FileNaming.removeUnicode("Cafe\u{301}.jpg") == "Cafe.jpg")
        #expect(FileNaming.id7("AY6cLive1") == "QVk2Y0x")
        #expect(FileNaming.fingerprintFilename(id: "Acg+EM6JpmWlxyz", itemTypeExtension: "MOV") == "Acg_EM6JpmWl.MOV")
    }

    @Test(arguments: [
        ("IMG_1.heic", LivePhotoMovFilenamePolicy.suffix, "IMG_1_HEVC.MOV"),
        ("IMG_1.HEIC", .suffix, "IMG_1_HEVC.MOV"),
        ("IMG_1.HEIF", .suffix, "IMG_1.MOV"),
        ("IMG_1.JPG", .suffix, "IMG_1.MOV"),
        ("IMG_1.heic", .original, "IMG_1.MOV"),
        (".jpg", .suffix, ".jpg"),
        ("noext", .original, "noext"),
    ])
    func livePhotoNames(_ base: String, _ policy: LivePhotoMovFilenamePolicy, _ expected: String) {
        #expect(FileNaming.livePhotoFilename(base, policy: policy) == expected)
    }

    @Test func versionFilenameRules() {
        #expect(FileNaming.versionFilename(base: "IMG_1.heic", versionType: "public.jpeg", size: .still(.medium),
                                           isImageItemType: true, livePolicy: .suffix) == "IMG_1-medium.JPG")
        #expect(FileNaming.versionFilename(base: "x.weird", versionType: "public.unknown", size: .still(.original),
                                           isImageItemType: true, livePolicy: .suffix) == "x.weird")
        #expect(FileNaming.versionFilename(base: "noext", versionType: "public.unknown", size: .still(.original),
                                           isImageItemType: true, livePolicy: .suffix) == "noext.")
        #expect(FileNaming.versionFilename(base: "V.mov", versionType: "com.apple.quicktime-movie", size: .still(.thumb),
                                           isImageItemType: false, livePolicy: .suffix) == "V-thumb.MOV")
        #expect(FileNaming.versionFilename(base: "n.nrw", versionType: "com.nikon.nrw-raw-image", size: .still(.original),
                                           isImageItemType: true, livePolicy: .suffix) == "n.NRF")
    }
}
