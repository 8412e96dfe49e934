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

    @Test func ratingRule() throws {
        var asset = try Fixture.asset("AY6cJpeg2")
        asset.asset.fields["isFavorite"] = CloudKitField(value: .int(1), type: "INT64")
        #expect(FavoriteRating(favoriteRating: 2).rating(asset) == 2)
        #expect(FavoriteRating().rating(asset) == 5)
        asset.asset.fields["isHidden"] = CloudKitField(value: .int(1), type: "INT64")
        #expect(FavoriteRating(favoriteRating: 2).rating(asset) == -1)
    }
}
