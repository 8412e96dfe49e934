import Foundation
import Shared
import Testing

/// `--xmp-sidecar`, `--favorite-to-rating`, `--process-existing-favorites`, `--metadata-overwrite`
/// against the sandbox iCloud (photo i is a favourite when i % 3 == 0).
@Suite struct ICloudPDMetadataTests {
    static let plainJPEGSidecar = """
        <?xml version='1.0' encoding='utf-8'?>
        <x:xml_doc xmlns:x="adobe:ns:meta/" x:xmptk="icloudpd 1.32.2+dd5a421"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\
        <rdf:Description rdf:about="" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"><photoshop:DateCreated>2004-01-04T21:11:59-0500</photoshop:DateCreated></rdf:Description>\
        <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/"><xmp:CreateDate>2004-01-04T21:11:59-0500</xmp:CreateDate></rdf:Description>\
        </rdf:RDF></x:xml_doc>
        """

    static func screenshotSidecar(rating: Int) -> String {
        """
        <?xml version='1.0' encoding='utf-8'?>
        <x:xml_doc xmlns:x="adobe:ns:meta/" x:xmptk="icloudpd 1.32.2+dd5a421"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\
        <rdf:Description rdf:about="" xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"><Iptc4xmpExt:DigitalSourceType>screenCapture</Iptc4xmpExt:DigitalSourceType></rdf:Description>\
        <rdf:Description rdf:about="" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"><photoshop:DateCreated>2004-01-26T01:56:54+1245</photoshop:DateCreated></rdf:Description>\
        <rdf:Description rdf:about="" xmlns:tiff="http://ns.adobe.com/tiff/1.0/"><tiff:Make>Screenshot</tiff:Make></rdf:Description>\
        <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/"><xmp:CreateDate>2004-01-26T01:56:54+1245</xmp:CreateDate><xmp:Rating>\(rating)</xmp:Rating></rdf:Description>\
        </rdf:RDF></x:xml_doc>
        """
    }

    /// Photo 3, an edited JPEG and a favourite: its `adjustmentSimpleDataEnc` holds
    /// orientation 8 (icloudpd 1.32.2's build_metadata/generate_xml give these bytes).
    static let editedJPEGSidecar = """
        <?xml version='1.0' encoding='utf-8'?>
        <x:xml_doc xmlns:x="adobe:ns:meta/" x:xmptk="icloudpd 1.32.2+dd5a421"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\
        <rdf:Description rdf:about="" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"><photoshop:DateCreated>2004-01-13T07:35:57+0100</photoshop:DateCreated></rdf:Description>\
        <rdf:Description rdf:about="" xmlns:tiff="http://ns.adobe.com/tiff/1.0/"><tiff:Orientation>8</tiff:Orientation></rdf:Description>\
        <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/"><xmp:CreateDate>2004-01-13T07:35:57+0100</xmp:CreateDate><xmp:Rating>5</xmp:Rating></rdf:Description>\
        </rdf:RDF></x:xml_doc>
        """

    func text(_ f: ICloudPDDownloadFixture, _ relative: String) -> String? {
        f.bytes(relative).flatMap { String(data: $0, encoding: .utf8) }
    }

    func media(_ f: ICloudPDDownloadFixture) -> [String] { f.files().filter { !$0.hasSuffix(".xmp") } }

    @Test func sidecarsAreIcloudpdsBytesWithTheFavouriteRating() async throws {
        let f = try ICloudPDDownloadFixture(photos: 16)
        let run = try await f.run(["--folder-structure", "none", "--xmp-sidecar", "--favorite-to-rating", "1"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(text(f, "IMG_0001.JPG.xmp") == Self.plainJPEGSidecar)
        #expect(text(f, "Screenshot_ 0006_.PNG.xmp") == Self.screenshotSidecar(rating: 1))
        // One sidecar per primary file (videos included), none for live videos.
        let sidecars = f.files().filter { $0.hasSuffix(".xmp") }
        let liveVideos: Set = ["IMG_0000_HEVC.MOV", "IMG_0012.MOV", ".jpg"]
        let stills = media(f).filter { !liveVideos.contains($0) }
        #expect(Set(sidecars) == Set(stills.map { $0 + ".xmp" }))
        // Ratings for favourites only.
        for i in 0..<16 {
            let name = f.library.kind(i) == .plainJPEG || f.library.kind(i) == .editedJPEG ? "IMG_\(String(format: "%04d", i)).JPG.xmp" : nil
            guard let name, let sidecar = text(f, name) else { continue }
            #expect(sidecar.contains("<xmp:Rating>1</xmp:Rating>") == (i % 3 == 0), "\(name)")
        }
    }

    /// The sandbox's edited photos carry an orientation (HEIC 6, JPEG 8) in
    /// `adjustmentSimpleDataEnc`; the screenshot's markup CRDT and the video's slow-motion plist
    /// are not looked into.
    @Test func orientationOfEditedPhotos() async throws {
        let f = try ICloudPDDownloadFixture(photos: 7)
        let run = try await f.run(["--folder-structure", "none", "--xmp-sidecar", "--size", "original", "--size", "adjusted"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(text(f, "IMG_0003.JPG.xmp") == Self.editedJPEGSidecar)
        #expect(text(f, "IMG_0003-adjusted.JPG.xmp") == Self.editedJPEGSidecar)
        #expect(text(f, "IMG_0002.HEIC.xmp")?.contains("<tiff:Orientation>6</tiff:Orientation>") == true)
        // The HEIC's adjusted render is a JPEG: icloudpd names it IMG_0002.JPG.
        #expect(text(f, "IMG_0002.JPG.xmp")?.contains("<tiff:Orientation>6</tiff:Orientation>") == true)
        #expect(text(f, "Screenshot_ 0006_.PNG.xmp") == Self.screenshotSidecar(rating: 5))
        let video = try #require(text(f, "MVI_0005.MOV.xmp"))
        #expect(!video.contains("tiff"))
        let withOrientation = f.files().filter { $0.hasSuffix(".xmp") && text(f, $0)?.contains("tiff:Orientation") == true }
        #expect(Set(withOrientation) == ["IMG_0002.HEIC.xmp", "IMG_0002.JPG.xmp", "IMG_0003.JPG.xmp", "IMG_0003-adjusted.JPG.xmp"])
    }

    @Test func ratingWithoutSidecarOptionOnlyTouchesFavouritesAndNeverMedia() async throws {
        let f = try ICloudPDDownloadFixture(photos: 16)
        let first = try await f.run(["--folder-structure", "none"])
        #expect(first.status == 0, "\(first.stderr)")
        let before = Dictionary(uniqueKeysWithValues: f.files().map { ($0, f.bytes($0)) })

        // Existing files: no sidecar without --process-existing-favorites.
        let plain = try await f.run(["--folder-structure", "none", "--favorite-to-rating", "2"])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(f.files().allSatisfy { !$0.hasSuffix(".xmp") })

        // Accepted alone (it routes favourites for the Immich plugin): writes nothing.
        let alone = try await f.run(["--folder-structure", "none", "--process-existing-favorites"])
        #expect(alone.status == 0, "\(alone.stderr)")
        #expect(f.files().allSatisfy { !$0.hasSuffix(".xmp") })

        let existing = try await f.run(["--folder-structure", "none", "--favorite-to-rating", "2", "--process-existing-favorites"])
        #expect(existing.status == 0, "\(existing.stderr)")
        #expect(text(f, "Screenshot_ 0006_.PNG.xmp") == Self.screenshotSidecar(rating: 2))
        #expect(text(f, "IMG_0003.JPG.xmp")?.contains("<xmp:Rating>2</xmp:Rating>") == true)
        #expect(text(f, "IMG_0001.JPG.xmp") == nil)  // not a favourite
        #expect(f.count("GET /content") == before.count)  // nothing downloaded again
        for (path, bytes) in before { #expect(f.bytes(path) == bytes, "\(path)") }
    }

    @Test func foreignSidecarsAreKeptUnlessMetadataOverwrite() async throws {
        let f = try ICloudPDDownloadFixture(photos: 4)
        try FileManager.default.createDirectory(atPath: f.directory, withIntermediateDirectories: true)
        let foreign = "<?xml version=\"1.0\"?><x:xmpmeta xmlns:x=\"adobe:ns:meta/\" x:xmptk=\"Adobe XMP Core 5.6\"></x:xmpmeta>"
        try Data(foreign.utf8).write(to: URL(fileURLWithPath: f.directory + "/IMG_0001.JPG.xmp"))
        let kept = try await f.run(["--folder-structure", "none", "--xmp-sidecar"])
        #expect(kept.status == 0, "\(kept.stderr)")
        #expect(text(f, "IMG_0001.JPG.xmp") == foreign)
        #expect(kept.stdout.contains("Not overwriting XMP file"))
        let overwritten = try await f.run(["--folder-structure", "none", "--xmp-sidecar", "--metadata-overwrite"])
        #expect(overwritten.status == 0, "\(overwritten.stderr)")
        #expect(text(f, "IMG_0001.JPG.xmp") == Self.plainJPEGSidecar)
        #expect(!f.files().contains { $0.contains(".tmp-") })
    }

    @Test func favoriteToRatingValues() async throws {
        let f = try ICloudPDDownloadFixture(photos: 1)
        let bad = try await f.run(["--favorite-to-rating", "7"])
        #expect(bad.status == 2)
        #expect((bad.stdout + bad.stderr).contains("invalid choice: 7"))
        let bare = try await f.run(["--folder-structure", "none", "--favorite-to-rating", "--xmp-sidecar"])
        #expect(bare.status == 0, "\(bare.stderr)")
        #expect(text(f, "IMG_0000.HEIC.xmp")?.contains("<xmp:Rating>5</xmp:Rating>") == true)
    }
}

/// `--set-exif-datetime` against the sandbox's JPEGs (SOI, comments, EOI: no EXIF yet).
@Suite struct ICloudPDExifDateTimeTests {
    @Test func setsDateTimeOriginalInDownloadedJPEGsOnly() async throws {
        let f = try ICloudPDDownloadFixture(photos: 4)
        let run = try await f.run(["--folder-structure", "none", "--set-exif-datetime", "--log-level", "debug"])
        #expect(run.status == 0, "\(run.stderr)")
        let jpeg = try #require(f.bytes("IMG_0001.JPG"))
        // TZ=UTC: the asset date in the local zone.
        #expect(ExifReader.tags(Array(jpeg), ifd: "exif")[0x9003] == "2004:01:05 02:11:59")
        let served = try #require(f.library.content(index: 1, prefix: "resOriginal"))
        let app1 = try #require(ExifReader.app1(Array(jpeg)))
        #expect(Array(jpeg[..<app1.lowerBound]) + Array(jpeg[app1.upperBound...]) == Array(served))
        // HEIC and the live video are untouched; no temp files are left.
        #expect(f.bytes("IMG_0000.HEIC") == f.library.content(index: 0, prefix: "resOriginal"))
        #expect(f.bytes("IMG_0000_HEVC.MOV") == f.library.content(index: 0, prefix: "resOriginalVidCompl"))
        #expect(!f.files().contains { $0.hasSuffix(".exif") || $0.hasSuffix(".part") })
        // mtime is still the asset date.
        #expect(f.mtime("IMG_0001.JPG")?.timeIntervalSince1970 == 1_073_268_719)
    }

    /// icloudpd's behaviour, kept (icloudpd quirk 5, docs/references.md#icloudpd-quirks): the
    /// edited JPEG no longer has the server's size, so size-based dedup downloads it again next
    /// run; name-id7 does not.
    @Test func sizeDedupDownloadsEditedJPEGsAgainButNameID7DoesNot() async throws {
        let f = try ICloudPDDownloadFixture(photos: 2)
        _ = try await f.run(["--folder-structure", "none", "--set-exif-datetime"])
        let first = f.count("GET /content")
        // A plain rerun is a change check (state database): nothing changed, nothing downloaded.
        let check = try await f.run(["--folder-structure", "none", "--set-exif-datetime"])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(f.count("GET /content") == first)
        // A full listing walks the files by icloudpd's rules, quirk included.
        let again = try await f.run(["--folder-structure", "none", "--set-exif-datetime", "--full-listing"])
        #expect(again.status == 0, "\(again.stderr)")
        let size = try #require(f.library.content(index: 1, prefix: "resOriginal")).count
        #expect(f.files().contains("IMG_0001-\(size).JPG"))
        #expect(f.count("GET /content") == first + 1)

        let g = try ICloudPDDownloadFixture(photos: 2)
        _ = try await g.run(["--folder-structure", "none", "--set-exif-datetime", "--file-match-policy", "name-id7"])
        let firstID7 = g.count("GET /content")
        let againID7 = try await g.run(["--folder-structure", "none", "--set-exif-datetime", "--file-match-policy", "name-id7", "--full-listing"])
        #expect(againID7.status == 0, "\(againID7.stderr)")
        #expect(g.count("GET /content") == firstID7)
    }
}

/// The icloudpd Immich plugin README's example command line.
@Suite struct ICloudPDRealWorldOptionsTests {
    /// The icloudpd options of the plugin README's "Real-World Example" (without --plugin and the
    /// watch loop): accepted, and a second run finds everything and stops at --until-found.
    @Test func realWorldExampleOptions() async throws {
        let f = try ICloudPDDownloadFixture(photos: 40)
        let options = ["--folder-structure", "none", "--set-exif-datetime", "--until-found", "10", "--keep-unicode-in-filenames",
                       "--file-match-policy", "name-id7", "--size", "original", "--size", "medium", "--size", "adjusted",
                       "--log-level", "debug", "--xmp-sidecar", "--favorite-to-rating", "1", "--process-existing-favorites"]
        let first = try await f.run(options)
        #expect(first.status == 0, "\(first.stderr)")
        let downloads = f.count("GET /content")
        let sidecars = f.files().filter { $0.hasSuffix(".xmp") }
        #expect(!sidecars.isEmpty)
        let second = try await f.run(options)
        #expect(second.status == 0, "\(second.stderr)")
        // --until-found shaped the first listing; with a change token the next run asks what changed.
        #expect(second.stdout.contains("No changes in iCloud since the last run"), "\(second.stdout)")
        #expect(f.count("GET /content") == downloads)
    }
}
