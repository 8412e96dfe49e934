import Foundation
import Testing
@testable import Shared

/// XMP fields the sandbox does not produce: caption, description, keywords, GPS, escaping.
@Suite struct XMPSidecarTests {
    func encoded(_ data: Data) -> CloudKitField { CloudKitField(value: .string(data.base64EncodedString()), type: "ENCRYPTED_BYTES") }

    @Test func captionKeywordsLocationAndEscaping() throws {
        var asset = try Fixture.asset("AY6cJpeg2")
        asset.asset.fields["captionEnc"] = encoded(Data("Tom & \"Jerry\" <3".utf8))
        asset.asset.fields["extendedDescEnc"] = encoded(Data("At the beach".utf8))
        asset.asset.fields["keywordsEnc"] = encoded(try PropertyListSerialization.data(fromPropertyList: ["sea", "sun"], format: .binary, options: 0))
        let location: [String: Any] = ["lat": 48.8566, "lon": 2.3522, "alt": 0.0, "speed": 1.5]
        asset.asset.fields["locationEnc"] = encoded(try PropertyListSerialization.data(fromPropertyList: location, format: .binary, options: 0))
        let xmp = XMPSidecar.content(asset, rating: nil)
        #expect(xmp.contains("<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>Tom &amp; \"Jerry\" &lt;3</dc:title>"
            + "<dc:description>At the beach</dc:description><dc:subject><rdf:Seq><rdf:li>sea</rdf:li><rdf:li>sun</rdf:li></rdf:Seq></dc:subject></rdf:Description>"))
        // Zero altitude omitted, as icloudpd.
        #expect(xmp.contains("<rdf:Description rdf:about=\"\" xmlns:exif=\"http://ns.adobe.com/exif/1.0/\"><exif:GPSLatitude>48.8566</exif:GPSLatitude>"
            + "<exif:GPSLongitude>2.3522</exif:GPSLongitude><exif:GPSSpeed>1.5</exif:GPSSpeed></rdf:Description>"))
        #expect(!xmp.contains("Rating"))
    }

    /// Produced by icloudpd 1.32.2's own build_metadata/generate_xml for these fields (toolkit
    /// string aside): tiff:Orientation comes before tiff:Make.
    static let orientationScreenshotSidecar = """
        <?xml version='1.0' encoding='utf-8'?>
        <x:xml_doc xmlns:x="adobe:ns:meta/" x:xmptk="icloudpd 1.32.2+dd5a421"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\
        <rdf:Description rdf:about="" xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"><Iptc4xmpExt:DigitalSourceType>screenCapture</Iptc4xmpExt:DigitalSourceType></rdf:Description>\
        <rdf:Description rdf:about="" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"><photoshop:DateCreated>2024-12-06T09:32:37-0300</photoshop:DateCreated></rdf:Description>\
        <rdf:Description rdf:about="" xmlns:tiff="http://ns.adobe.com/tiff/1.0/"><tiff:Orientation>6</tiff:Orientation><tiff:Make>Screenshot</tiff:Make></rdf:Description>\
        <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/"><xmp:CreateDate>2024-12-06T09:32:37-0300</xmp:CreateDate><xmp:Rating>5</xmp:Rating></rdf:Description>\
        </rdf:RDF></x:xml_doc>
        """

    @Test func orientationGolden() throws {
        var asset = try Fixture.asset("AY6cJpeg2")
        asset.asset.fields = [
            "assetDate": CloudKitField(value: .int(1_733_488_357_000), type: "TIMESTAMP"),
            "timeZoneOffset": CloudKitField(value: .int(-10800), type: "INT64"),
            "assetSubtypeV2": CloudKitField(value: .int(3), type: "INT64"),
            "isFavorite": CloudKitField(value: .int(1), type: "INT64"),
            // {"metadata":{"masterWidth":3024,"masterHeight":4032,"orientation":6},"formatVersion":6}, raw-deflated.
            "adjustmentSimpleDataEnc": CloudKitField(value: .string("LcghDsAgDAXQu1QjCJCJnmAn2HQTuoEAkvId2d1nePItagrJAiFe1GRC7a4ZhTj6kNyuU+tbQJx8DI6GVe0Q1NGJj8/RM6wJLrW56wc="),
                                                     type: "ENCRYPTED_BYTES"),
        ]
        #expect(XMPSidecar.content(asset, rating: FavoriteRating().rating(asset)) == Self.orientationScreenshotSidecar)

        // Orientation alone: the tiff block holds just it.
        asset.asset.fields["assetSubtypeV2"] = nil
        #expect(XMPSidecar.content(asset, rating: nil).contains(
            "<rdf:Description rdf:about=\"\" xmlns:tiff=\"http://ns.adobe.com/tiff/1.0/\"><tiff:Orientation>6</tiff:Orientation></rdf:Description>"))
        // A CRDT (markup) or an undecodable value: no element, the rest as before.
        for value in ["Y3JkdAEAAAA=", "not base64 at all"] {
            asset.asset.fields["adjustmentSimpleDataEnc"] = CloudKitField(value: .string(value), type: "ENCRYPTED_BYTES")
            let xmp = XMPSidecar.content(asset, rating: nil)
            #expect(!xmp.contains("tiff"), "\(value)")
            #expect(xmp.contains("<xmp:CreateDate>2024-12-06T09:32:37-0300</xmp:CreateDate>"))
        }
    }

    @Test func ratingRule() throws {
        var asset = try Fixture.asset("AY6cJpeg2")
        asset.asset.fields["isFavorite"] = CloudKitField(value: .int(1), type: "INT64")
        #expect(FavoriteRating(favoriteRating: 2).rating(asset) == 2)
        #expect(FavoriteRating().rating(asset) == 5)
        asset.asset.fields["isHidden"] = CloudKitField(value: .int(1), type: "INT64")
        #expect(FavoriteRating(favoriteRating: 2).rating(asset) == -1)
    }
}
