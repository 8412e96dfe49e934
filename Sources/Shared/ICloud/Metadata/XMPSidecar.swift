import Foundation

/// The XMP sidecar icloudpd 1.32 writes next to every primary file
/// (docs/references.md#icloudpd-metadata): root `x:xml_doc`, one `rdf:Description` per namespace
/// in a fixed order, one line after the XML declaration and no trailing newline, so our sidecars
/// are byte-identical to icloudpd's.
public enum XMPSidecar {
    /// icloudpd keeps overwriting sidecars whose `xmptk` starts with `icloudpd`; so must ours
    /// (the 1.32.2 release's toolkit string).
    public static let toolkit = "icloudpd 1.32.2+dd5a421"

    /// `<media file name>.xmp`, e.g. `IMG_1952.JPG.xmp`.
    public static func path(for mediaPath: String) -> String { mediaPath + ".xmp" }

    /// The sidecar text for `asset`; `rating` is `xmp:Rating` (nil: omitted), see `FavoriteRating`.
    public static func content(_ asset: PhotoAsset, rating: Int?) -> String {
        var blocks: [(prefix: String, uri: String, children: [String])] = []
        func element(_ name: String, _ text: String) -> String { "<\(name)>\(escape(text))</\(name)>" }

        var dc: [String] = []
        if let title = decodedText(asset, "captionEnc"), !title.isEmpty { dc.append(element("dc:title", title)) }
        if let text = decodedText(asset, "extendedDescEnc"), !text.isEmpty { dc.append(element("dc:description", text)) }
        let keywords = decodedKeywords(asset)
        if !keywords.isEmpty {
            dc.append("<dc:subject><rdf:Seq>" + keywords.map { element("rdf:li", $0) }.joined() + "</rdf:Seq></dc:subject>")
        }
        blocks.append(("dc", "http://purl.org/dc/elements/1.1/", dc))

        var exif: [String] = []
        let location = decodedLocation(asset)
        for (key, name) in [("alt", "GPSAltitude"), ("lat", "GPSLatitude"), ("lon", "GPSLongitude"), ("speed", "GPSSpeed")] {
            // icloudpd omits missing and zero values.
            if let value = location[key] as? Double, value != 0 { exif.append(element("exif:\(name)", pythonFloat(value))) }
        }
        if let stamp = location["timestamp"] as? Date {
            // plistlib gives a naive UTC datetime: `%z` is empty.
            var local = LocalDateTime(date: stamp, zone: FixedZone.utc)
            local.utcOffset = nil
            exif.append(element("exif:GPSTimeStamp", Strftime.format("%Y-%m-%dT%H:%M:%S", local)))
        }
        blocks.append(("exif", "http://ns.adobe.com/exif/1.0/", exif))

        let screenshot = asset.asset.value("assetSubtypeV2")?.int64Value == 3
        blocks.append(("Iptc4xmpExt", "http://iptc.org/std/Iptc4xmpExt/2008-02-29/",
                       screenshot ? [element("Iptc4xmpExt:DigitalSourceType", "screenCapture")] : []))

        let created = createDate(asset)
        blocks.append(("photoshop", "http://ns.adobe.com/photoshop/1.0/", [element("photoshop:DateCreated", created)]))
        var tiff: [String] = []
        // Already escaped as ElementTree writes it (see AdjustmentOrientation).
        if let orientation = AdjustmentOrientation.text(asset) { tiff.append("<tiff:Orientation>\(orientation)</tiff:Orientation>") }
        if screenshot { tiff.append(element("tiff:Make", "Screenshot")) }
        blocks.append(("tiff", "http://ns.adobe.com/tiff/1.0/", tiff))

        var xmp = [element("xmp:CreateDate", created)]
        if let rating { xmp.append(element("xmp:Rating", String(rating))) }
        blocks.append(("xmp", "http://ns.adobe.com/xap/1.0/", xmp))

        var out = "<?xml version='1.0' encoding='utf-8'?>\n"
        out += "<x:xml_doc xmlns:x=\"adobe:ns:meta/\" x:xmptk=\"\(escape(toolkit))\">"
        out += "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
        for block in blocks where !block.children.isEmpty {
            out += "<rdf:Description rdf:about=\"\" xmlns:\(block.prefix)=\"\(block.uri)\">" + block.children.joined() + "</rdf:Description>"
        }
        return out + "</rdf:RDF></x:xml_doc>"
    }

    /// `assetDate` in the photo's own offset (`timeZoneOffset`, 0 when absent), `%z` without colon.
    static func createDate(_ asset: PhotoAsset) -> String {
        let offset = asset.timeZoneOffset ?? 0
        return Strftime.format("%Y-%m-%dT%H:%M:%S%z", LocalDateTime(date: asset.assetDate, zone: FixedZone(seconds: offset, name: "")))
    }

    /// ElementTree's text escaping (quotes stay as they are in text).
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    static func decodedData(_ asset: PhotoAsset, _ field: String) -> Data? {
        guard let text = asset.asset.value(field)?.stringValue else { return nil }
        return Data(base64Encoded: text, options: .ignoreUnknownCharacters)
    }

    static func decodedText(_ asset: PhotoAsset, _ field: String) -> String? {
        decodedData(asset, field).flatMap { String(data: $0, encoding: .utf8) }
    }

    /// `keywordsEnc`: a property list holding a list of strings.
    static func decodedKeywords(_ asset: PhotoAsset) -> [String] {
        guard let data = decodedData(asset, "keywordsEnc"),
              let list = try? PropertyListSerialization.propertyList(from: data, options: [], format: nil) as? [Any] else { return [] }
        return list.compactMap { $0 as? String }
    }

    /// `locationEnc`: a property list dictionary (`alt`, `lat`, `lon`, `speed`, `timestamp`).
    static func decodedLocation(_ asset: PhotoAsset) -> [String: Any] {
        guard let data = decodedData(asset, "locationEnc"),
              let plist = try? PropertyListSerialization.propertyList(from: data, options: [], format: nil) as? [String: Any] else { return [:] }
        var out: [String: Any] = [:]
        for (key, value) in plist {
            if let d = value as? Double { out[key] = d } else if let n = value as? NSNumber { out[key] = n.doubleValue } else { out[key] = value }
        }
        return out
    }

    /// Python's `str(float)`: shortest round-trip digits, `1e-05` / `1e+16` outside [1e-4, 1e16).
    static func pythonFloat(_ value: Double) -> String {
        let swift = "\(value)"
        guard let e = swift.firstIndex(of: "e") else { return swift }
        // Swift writes `1e-05` as Python does; Swift's `1e+16` also matches. Keep the mantissa form.
        let mantissa = swift[..<e], exponent = swift[swift.index(after: e)...]
        let sign = exponent.hasPrefix("-") ? "-" : "+"
        let digits = exponent.drop(while: { $0 == "-" || $0 == "+" })
        return "\(mantissa)e\(sign)\(digits.count < 2 ? "0" + digits : String(digits))"
    }
}
