/// `--align-raw`.
public enum RawTreatmentPolicy: String, Sendable, Equatable, Codable, CaseIterable {
    case asIs = "as-is"
    /// Make the RAW the original (swap when the alternative is RAW).
    case original
    /// Make the RAW the alternative (swap when the original is RAW).
    case alternative
}

/// The options that decide which versions are used.
public struct SizeOptions: Sendable, Equatable {
    /// `--size`, in command-line order; duplicates are removed keeping the first.
    public var sizes: [AssetVersionSize]
    public var forceSize: Bool
    public var alignRaw: RawTreatmentPolicy
    public var livePhotoSize: LivePhotoVersionSize
    public var skipLivePhotos: Bool

    public init(sizes: [AssetVersionSize] = [.original], forceSize: Bool = false, alignRaw: RawTreatmentPolicy = .asIs,
                livePhotoSize: LivePhotoVersionSize = .original, skipLivePhotos: Bool = false) {
        var seen = Set<AssetVersionSize>()
        self.sizes = sizes.filter { seen.insert($0).inserted }
        self.forceSize = forceSize
        self.alignRaw = alignRaw
        self.livePhotoSize = livePhotoSize
        self.skipLivePhotos = skipLivePhotos
    }
}

/// What happened to one requested size (docs/references.md#icloudpd-asset-model).
public enum SizeSelectionOutcome: Sendable, Equatable {
    /// Download/check `version` under the size key `as` (the name is computed for that key).
    /// `fallback` is `.original` when the file is really the original (adjusted/alternative
    /// missing and cloned, or medium/thumb missing and replaced by the original).
    case use(as: AssetVersionSize, version: AssetVersion, fallback: AssetVersionSize?, override: String?)
    /// Missing, and `original` is also requested: icloudpd does nothing for this size; the
    /// original's file serves it.
    case servedByOriginal
    /// Missing with `--force-size` (`<size> size does not exist for <name>. Skipping...`).
    case skippedForceSize(message: String)
    /// The asset has no original version where one is needed (icloudpd: `KeyError`).
    case missingOriginal
}

public struct SizeSelection: Sendable, Equatable {
    /// One entry per requested size, in `--size` order.
    public var primary: [(size: AssetVersionSize, outcome: SizeSelectionOutcome)]
    /// The live video to fetch, nil when none (not a live photo, skipped, or size missing).
    public var live: (size: LivePhotoVersionSize, version: AssetVersion)?

    public static func == (a: SizeSelection, b: SizeSelection) -> Bool {
        a.primary.count == b.primary.count
            && zip(a.primary, b.primary).allSatisfy { $0.size == $1.size && $0.outcome == $1.outcome }
            && a.live?.size == b.live?.size && a.live?.version == b.live?.version
    }
}

public enum SizeSelector {
    /// `apply_raw_policy`: swap original and alternative per `--align-raw` when an alternative exists.
    public static func applyRawPolicy(_ versions: [AssetVersionSize: AssetVersion],
                                      _ policy: RawTreatmentPolicy) -> [AssetVersionSize: AssetVersion] {
        guard let alt = versions[.alternative] else { return versions }
        let orig = versions[.original]
        let swap = (policy == .original && UTI.isRaw(alt.type))
            || (policy == .alternative && orig.map { UTI.isRaw($0.type) } == true)
        guard swap else { return versions }
        var out = versions
        out[.alternative] = orig
        out[.original] = alt
        return out
    }

    struct Disambiguated {
        var versions: [AssetVersionSize: AssetVersion] = [:]
        var clonedFromOriginal: Set<AssetVersionSize> = []
        var overrides: [AssetVersionSize: String] = [:]
        var missingOriginal = false
    }

    /// `disambiguate_filenames`. Names compared are default-policy names (cleaning only, no
    /// unicode stripping, no id7), which is why overrides skip both (icloudpd
    /// quirks 1 and 2, docs/references.md#icloudpd-quirks).
    static func disambiguate(_ asset: PhotoAsset, _ all: [AssetVersionSize: AssetVersion], _ sizes: [AssetVersionSize],
                             livePolicy: LivePhotoMovFilenamePolicy) -> Disambiguated {
        var d = Disambiguated()
        let naming = NamingOptions(fileMatchPolicy: .nameSizeDedupWithSuffix, keepUnicode: true,
                                   livePhotoMovFilenamePolicy: livePolicy)
        func name(_ size: AssetVersionSize) -> String? {
            guard let v = d.versions[size] else { return nil }
            return FileNaming.stillFilename(asset, version: v, size: size, options: naming)
        }
        func cloneOriginal(into size: AssetVersionSize) {
            if let o = all[.original] { d.versions[size] = o; d.clonedFromOriginal.insert(size) } else { d.missingOriginal = true }
        }
        for s in sizes { if let v = all[s] { d.versions[s] = v } }

        if sizes.contains(.adjusted) {
            if !sizes.contains(.original) {
                if d.versions[.adjusted] == nil { cloneOriginal(into: .adjusted) }
            } else if d.versions[.adjusted] != nil {
                if let o = name(.original), let a = name(.adjusted) {
                    if PythonPath.same(o, a) { d.overrides[.adjusted] = PythonPath.addSuffix("-adjusted", to: a) }
                } else {
                    d.missingOriginal = true
                }
            }
        }
        if sizes.contains(.alternative) {
            if d.versions[.alternative] == nil {
                if !sizes.contains(.original) { cloneOriginal(into: .alternative) }
            } else if let alt = name(.alternative) {
                // Compared with the adjusted/original *computed* names, not their overrides.
                let clash = name(.adjusted).map { PythonPath.same($0, alt) } == true
                    || name(.original).map { PythonPath.same($0, alt) } == true
                if clash { d.overrides[.alternative] = PythonPath.addSuffix("-alternative", to: alt) }
            }
        }
        for s in sizes where ![.original, .adjusted, .alternative].contains(s)
            && d.versions[s] == nil && !sizes.contains(.original) {
            if let o = all[.original] { d.versions[.original] = o } else { d.missingOriginal = true }
        }
        return d
    }

    /// Decide, for each requested size, which version is used and under which size key.
    public static func select(_ asset: PhotoAsset, options: SizeOptions,
                              livePolicy: LivePhotoMovFilenamePolicy = .suffix,
                              errorName: String? = nil) -> SizeSelection {
        let all = applyRawPolicy(asset.versions, options.alignRaw)
        let d = disambiguate(asset, all, options.sizes, livePolicy: livePolicy)
        if d.missingOriginal {
            // icloudpd: KeyError in disambiguate_filenames → the whole asset is skipped, live video included.
            return SizeSelection(primary: options.sizes.map { ($0, .missingOriginal) }, live: nil)
        }
        var primary: [(size: AssetVersionSize, outcome: SizeSelectionOutcome)] = []
        for requested in options.sizes {
            var key = requested
            var fallback: AssetVersionSize? = d.clonedFromOriginal.contains(requested) ? .original : nil
            if d.versions[requested] == nil && requested != .original {
                if options.forceSize {
                    let n = errorName ?? FileNaming.defaultFilename(asset)
                    primary.append((requested, .skippedForceSize(message: "\(requested.rawValue) size does not exist for \(n). Skipping...")))
                    continue
                }
                if options.sizes.contains(.original) {
                    primary.append((requested, .servedByOriginal))
                    continue
                }
                key = .original
                fallback = .original
            }
            guard let v = d.versions[key] else {
                primary.append((requested, .missingOriginal))
                continue
            }
            primary.append((requested, .use(as: key, version: v, fallback: fallback, override: d.overrides[key])))
        }
        var live: (size: LivePhotoVersionSize, version: AssetVersion)? = nil
        if !options.skipLivePhotos, let v = asset.liveVersions[options.livePhotoSize] {
            live = (options.livePhotoSize, v)
        }
        return SizeSelection(primary: primary, live: live)
    }
}
