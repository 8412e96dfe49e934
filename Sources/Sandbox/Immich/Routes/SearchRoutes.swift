import Foundation
import Shared

/// `POST /search/metadata` (docs/references.md#immich-search-by-path): flat fields with offset
/// paging, and from v3.2 the structured `filter` / `orderBy` / `cursor` shape with keyset paging.
enum SearchRoutes {
    typealias Predicate = (AssetRecord) -> Bool

    /// Flat `MetadataSearchDto` keys (accepted; the ones not simulated are ignored).
    static let flatKeys: Set<String> = [
        "id", "deviceAssetId", "deviceId", "libraryId", "type", "isEncoded", "isFavorite", "isMotion", "isOffline",
        "isNotInAlbum", "withDeleted", "withExif", "withStacked", "withPeople", "createdAfter", "createdBefore",
        "updatedAfter", "updatedBefore", "trashedAfter", "trashedBefore", "takenAfter", "takenBefore",
        "originalFileName", "originalPath", "checksum", "encodedVideoPath", "previewPath", "thumbnailPath", "city",
        "state", "country", "make", "model", "lensModel", "personIds", "tagIds", "albumIds", "rating", "description",
        "ocr", "page", "size", "order",
    ]
    static let structuredKeys: [String] = ["filter", "orderBy", "cursor"]
    /// Flat keys that may go with the structured shape (they shape the answer, not the match).
    static let combinableKeys: Set<String> = ["size", "withExif", "withPeople", "withStacked"]
    static let types = ["IMAGE", "VIDEO", "AUDIO", "OTHER"]

    static let routes: [ImmichRoute] = [
        ImmichRoute("POST", "/api/search/metadata") { context in try search(context) },
    ]

    static func search(_ context: RouteContext) throws -> HTTPServerResponse {
        let version = context.version
        let body = try context.body()
        var allowed = flatKeys
        if version.hasVisibility { allowed.insert("visibility") } else { allowed.formUnion(["isArchived", "withArchived", "isVisible"]) }
        if version.hasSearchFilter { allowed.formUnion(structuredKeys) }
        try body.rejectUnknownKeys(allowed: allowed)

        // Before v3.2 (v3.0/3.1 strip it) `filter` is unknown: the search runs unfiltered.
        if version.hasSearchFilter, structuredKeys.contains(where: body.isPresent) {
            let deprecated = body.fields.keys.filter { allowed.contains($0) && !structuredKeys.contains($0) && !combinableKeys.contains($0) }.sorted()
            if let field = deprecated.first {
                throw ImmichError.validation([.init(path: [.string(field)], code: "custom",
                                                    zodMessage: "Deprecated field \(field) cannot be combined with filter",
                                                    classValidatorMessage: "deprecated field \(field) cannot be combined with filter")])
            }
            return try structuredSearch(body, context)
        }
        return try flatSearch(body, context)
    }

    // MARK: flat

    private static func flatSearch(_ body: RequestBody, _ context: RouteContext) throws -> HTTPServerResponse {
        let version = context.version
        let page = try body.int("page", min: 1) ?? 1
        let size = try body.int("size", min: 1, max: 1000) ?? 250
        let ascending = try body.oneOf("order", ["asc", "desc"]) == "asc"
        var predicates: [Predicate] = []
        var withDeleted = try body.bool("withDeleted") ?? false

        if let id = try body.uuid("id") { predicates.append { $0.id == id } }
        if let libraryId = try body.uuid("libraryId") { predicates.append { $0.libraryId == libraryId } }
        if let type = try body.oneOf("type", types) { predicates.append { $0.type.rawValue == type } }
        if let value = try body.bool("isFavorite") { predicates.append { $0.isFavorite == value } }
        if let value = try body.bool("isMotion") { predicates.append { ($0.livePhotoVideoId != nil) == value } }
        if let value = try body.bool("isOffline") {
            withDeleted = true
            predicates.append { $0.isOffline == value }
        }
        var exactPaths: Set<String>?
        var pathPattern: LikePattern?
        if let path = try body.string("originalPath") {
            if version.pathSearchIsSubstring {
                // `f_unaccent("originalPath") ILIKE '%' || f_unaccent($1) || '%'`, unescaped,
                // answered through the trigram index.
                let pattern = LikePattern("%" + path + "%", caseInsensitive: true)
                pathPattern = pattern
                predicates.append { pattern.matches($0.originalPath) }
            } else {
                exactPaths = [path]
                predicates.append { $0.originalPath == path }
            }
        }
        if var name = try body.string("originalFileName") {
            if version.major >= 2 { name = name.trimmingCharacters(in: .whitespaces) }
            let pattern = LikePattern("%" + name + "%", caseInsensitive: true)
            predicates.append { pattern.matches($0.originalFileName) }
        }
        if let checksum = try body.string("checksum") {
            let wanted = decodeChecksum(checksum)
            predicates.append { $0.checksum == wanted }
        }
        try addDateRange(body, "createdAfter", "createdBefore", \.createdAt, &predicates)
        let createdFrom = try body.date("createdAfter")
        try addDateRange(body, "updatedAfter", "updatedBefore", \.updatedAt, &predicates)
        try addDateRange(body, "takenAfter", "takenBefore", \.fileCreatedAt, &predicates)
        if body.has("trashedAfter") || body.has("trashedBefore") {
            withDeleted = true
            let after = try body.date("trashedAfter"), before = try body.date("trashedBefore")
            predicates.append { asset in
                guard let deleted = asset.deletedAt else { return false }
                return (after.map { deleted >= $0 } ?? true) && (before.map { deleted <= $0 } ?? true)
            }
        }

        // Visibility defaults differ by era (docs/references.md#immich-search-by-path).
        if version.hasVisibility {
            if let raw = try body.oneOf("visibility", AssetVisibility.allCases.map(\.rawValue)) {
                predicates.append { $0.visibility.rawValue == raw }
            } else if version.isZod {
                predicates.append { $0.visibility != .locked }
            } else {
                predicates.append { $0.visibility == .timeline }
            }
        } else {
            if let archived = try body.bool("isArchived") {
                predicates.append { ($0.visibility == .archive) == archived }
            } else if try body.bool("withArchived") != true {
                predicates.append { $0.visibility != .archive }
            }
            let visible = try body.bool("isVisible") ?? true
            predicates.append { ($0.visibility != .hidden) == visible }
            predicates.append { $0.visibility != .locked }
        }

        let albumIds = try body.uuidArray("albumIds") ?? []
        let notInAlbum = try body.bool("isNotInAlbum")

        return try context.withWorld { world in
            var all = predicates
            all.append(ownerAndTrash(context.callerId, withDeleted: withDeleted))
            if !albumIds.isEmpty {
                let sets = albumIds.map { Set(world.albums[$0]?.assetIds ?? []) }
                all.append { asset in sets.allSatisfy { $0.contains(asset.id) } }
            }
            if let notInAlbum {
                let inAny = Set(world.albums.values.flatMap(\.assetIds))
                all.append { inAny.contains($0.id) != notInAlbum }
            }
            let candidates = world.searchCandidates(paths: exactPaths, createdFrom: createdFrom, pathPattern: pathPattern)
            context.immich.searchRowsRead.withLock { $0 += candidates.count }
            let matches = sorted(candidates.filter { asset in all.allSatisfy { $0(asset) } },
                                 by: \.fileCreatedAt, ascending: ascending)
            let offset = (page - 1) * size
            let pageItems = offset < matches.count ? Array(matches[offset..<min(matches.count, offset + size)]) : []
            let hasNext = matches.count > offset + size
            context.immich.searchResults.withLock { $0 += pageItems.count }
            let dtos = context.dtos(world)
            return .json(response(items: pageItems.map { dtos.asset($0) },
                                  nextPage: hasNext ? .string(String(page + 1)) : .null, nextCursor: nil))
        }
    }

    private static func addDateRange(_ body: RequestBody, _ afterKey: String, _ beforeKey: String,
                                     _ field: KeyPath<AssetRecord, Date>, _ predicates: inout [Predicate]) throws {
        if let after = try body.date(afterKey) { predicates.append { $0[keyPath: field] >= after } }
        if let before = try body.date(beforeKey) { predicates.append { $0[keyPath: field] <= before } }
    }

    // MARK: structured (v3.2)

    private static func structuredSearch(_ body: RequestBody, _ context: RouteContext) throws -> HTTPServerResponse {
        let size = try body.int("size", min: 1, max: 1000) ?? 250
        var field: KeyPath<AssetRecord, Date> = \.fileCreatedAt
        var ascending = false
        if let orderBy = body.fields["orderBy"], !orderBy.isNull {
            let order = RequestBody(fields: orderBy.objectValue ?? [:], version: context.version)
            try strict(order.fields, allowed: ["field", "direction"], path: ["orderBy"])
            switch try order.oneOf("field", ["fileCreatedAt", "createdAt", "updatedAt", "takenAt"]) {
            case "createdAt": field = \.createdAt
            case "updatedAt": field = \.updatedAt
            default: field = \.fileCreatedAt
            }
            ascending = try order.oneOf("direction", ["asc", "desc"]) == "asc"
        }
        var cursor: (Double, String)?
        if let text = try body.string("cursor") {
            guard let decoded = decodeCursor(text) else { throw ImmichError.badRequest("Invalid cursor") }
            cursor = decoded
        }
        var scope = FilterScope()
        var predicates: [Predicate] = []
        var index = IndexHints()
        if let filter = body.fields["filter"], !filter.isNull {
            guard let object = filter.objectValue else {
                throw ImmichError.invalid("filter", zod: "Invalid input: expected object", classValidator: "filter must be an object")
            }
            predicates.append(try branch(object, path: ["filter"], topLevel: true, context: context, scope: &scope))
            index = indexHints(object, version: context.version)
        }
        if !scope.mentionsVisibility { predicates.append { $0.visibility != .locked } }

        return try context.withWorld { world in
            var all = predicates
            all.append(ownerAndTrash(context.callerId, withDeleted: scope.includesTrash))
            let albums = world.albums
            let resolved = all + scope.albumPredicates.map { make in make(albums) }
            let candidates = world.searchCandidates(ids: index.ids, paths: index.paths, createdFrom: index.createdFrom, pathPattern: index.pathPattern)
            context.immich.searchRowsRead.withLock { $0 += candidates.count }
            var matches = sorted(candidates.filter { asset in resolved.allSatisfy { $0(asset) } },
                                 by: field, ascending: ascending)
            if let (key, id) = cursor {
                matches = matches.filter { asset in
                    let value = asset[keyPath: field].timeIntervalSince1970
                    if value != key { return ascending ? value > key : value < key }
                    return ascending ? asset.id > id : asset.id < id
                }
            }
            let pageItems = Array(matches.prefix(size))
            context.immich.searchResults.withLock { $0 += pageItems.count }
            let next: String? = matches.count > size ? pageItems.last.map { encodeCursor($0[keyPath: field].timeIntervalSince1970, $0.id) } : nil
            let dtos = context.dtos(world)
            return .json(response(items: pageItems.map { dtos.asset($0) }, nextPage: .null, nextCursor: .some(.optional(next))))
        }
    }

    /// The indexed conditions of a (validated) top-level filter, which every match satisfies:
    /// ids (`id.eq`, or an `or` whose every branch has an `id.eq`: Postgres ORs primary-key
    /// lookups), exact paths (`originalPath.eq` / `in`), a path pattern (`originalPath.like`,
    /// through the trigram index) and a lower bound on `createdAt` (`gt` / `gte` / `eq`).
    private static func indexHints(_ filter: [String: SandboxJSON], version: ImmichVersion) -> IndexHints {
        func id(_ branch: [String: SandboxJSON]) -> String? {
            guard let ops = branch["id"]?.objectValue else { return nil }
            return (try? RequestBody(fields: ops, version: version).nullableUUID("eq")).flatMap { $0 }.flatMap { $0 }
        }
        var ids: Set<String>?
        if let eq = id(filter) { ids = [eq] }
        if let branches = filter["or"]?.arrayValue {
            let branchIds = branches.map { $0.objectValue.flatMap(id) }
            if !branchIds.isEmpty, branchIds.allSatisfy({ $0 != nil }) {
                let union = Set(branchIds.compactMap { $0 })
                ids = ids.map { $0.intersection(union) } ?? union
            }
        }
        var paths: Set<String>?
        var pathPattern: LikePattern?
        if let ops = filter["originalPath"]?.objectValue {
            let operand = RequestBody(fields: ops, version: version)
            if let eq = try? operand.string("eq") { paths = [eq] }
            if let list = try? stringArray(operand, "in") { paths = (paths ?? Set(list)).intersection(list) }
            if let like = try? operand.string("like") { pathPattern = LikePattern(like, caseInsensitive: true) }
        }
        var createdFrom: Date?
        if let ops = filter["createdAt"]?.objectValue {
            let operand = RequestBody(fields: ops, version: version)
            createdFrom = ["gt", "gte", "eq"].compactMap { try? operand.date($0) }.max()
        }
        return IndexHints(ids: ids, paths: paths, createdFrom: createdFrom, pathPattern: pathPattern)
    }

    private struct IndexHints {
        var ids: Set<String>?
        var paths: Set<String>?
        var createdFrom: Date?
        var pathPattern: LikePattern?
    }

    /// What a filter tree asked for beyond plain predicates.
    private struct FilterScope {
        var mentionsVisibility = false
        /// The structured shape matches trashed assets too unless told `trashedAt: {eq: null}`.
        var includesTrash = true
        /// Album conditions need the album table, resolved under the lock.
        var albumPredicates: [([String: AlbumRecord]) -> Predicate] = []
    }

    private static func branch(_ object: [String: SandboxJSON], path: [SandboxJSON], topLevel: Bool,
                               context: RouteContext, scope: inout FilterScope) throws -> Predicate {
        let version = context.version
        var keys = ["id", "libraryId", "originalPath", "originalFileName", "checksum", "type", "visibility", "isFavorite",
                    "isMotion", "isOffline", "hasAlbums", "createdAt", "updatedAt", "takenAt", "trashedAt", "albumIds"]
        if topLevel { keys.append("or") }
        try strict(object, allowed: Set(keys), path: path)
        if object.isEmpty && !topLevel {
            throw ImmichError.validation([.init(path: path, code: "custom", zodMessage: "At least one filter condition is required",
                                                classValidatorMessage: "at least one filter condition is required")])
        }
        var predicates: [Predicate] = []
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
            let here = path + [.string(key)]
            if key == "or" {
                guard let branches = value.arrayValue, !branches.isEmpty else {
                    throw ImmichError.validation([.init(path: here, code: "too_small", zodMessage: "Too small: expected array to have >=1 items",
                                                        classValidatorMessage: "or must contain at least 1 elements")])
                }
                let alternatives = try branches.enumerated().map { index, item in
                    try branch(item.objectValue ?? [:], path: here + [.int(index)], topLevel: false, context: context, scope: &scope)
                }
                predicates.append { asset in alternatives.contains { $0(asset) } }
                continue
            }
            let ops = try operators(value, known: operatorsOf[key] ?? [], path: here)
            let operand = RequestBody(fields: ops, version: version)
            switch key {
            case "id", "libraryId":
                let read: (AssetRecord) -> String? = key == "id" ? { $0.id } : { $0.libraryId }
                if let eq = try operand.nullableUUID("eq") { predicates.append { read($0) == eq } }
                if let ne = try operand.nullableUUID("ne") { predicates.append { read($0) != ne } }
            case "originalPath", "originalFileName":
                let read: (AssetRecord) -> String = key == "originalPath" ? { $0.originalPath } : { $0.originalFileName }
                try predicates.append(contentsOf: stringPattern(operand, read))
            case "checksum":
                if let eq = try operand.string("eq") { let d = decodeChecksum(eq); predicates.append { $0.checksum == d } }
                if let ne = try operand.string("ne") { let d = decodeChecksum(ne); predicates.append { $0.checksum != d } }
                if let list = try stringArray(operand, "in") { let d = Set(list.map(decodeChecksum)); predicates.append { d.contains($0.checksum) } }
                if let list = try stringArray(operand, "notIn") { let d = Set(list.map(decodeChecksum)); predicates.append { !d.contains($0.checksum) } }
            case "type", "visibility":
                let options = key == "type" ? types : AssetVisibility.allCases.map(\.rawValue)
                let read: (AssetRecord) -> String = key == "type" ? { $0.type.rawValue } : { $0.visibility.rawValue }
                if key == "visibility" { scope.mentionsVisibility = true }
                if let eq = try operand.oneOf("eq", options) { predicates.append { read($0) == eq } }
                if let ne = try operand.oneOf("ne", options) { predicates.append { read($0) != ne } }
                if let list = try stringArray(operand, "in", options: options) { predicates.append { list.contains(read($0)) } }
                if let list = try stringArray(operand, "notIn", options: options) { predicates.append { !list.contains(read($0)) } }
            case "isFavorite", "isMotion", "isOffline", "hasAlbums":
                guard let eq = try operand.bool("eq") else { continue }
                switch key {
                case "isFavorite": predicates.append { $0.isFavorite == eq }
                case "isMotion": predicates.append { ($0.livePhotoVideoId != nil) == eq }
                case "isOffline":
                    scope.includesTrash = true
                    predicates.append { $0.isOffline == eq }
                default:
                    scope.albumPredicates.append { albums in
                        let inAny = Set(albums.values.flatMap(\.assetIds))
                        return { inAny.contains($0.id) == eq }
                    }
                }
            case "createdAt", "updatedAt", "takenAt", "trashedAt":
                let read: (AssetRecord) -> Date? = switch key {
                case "createdAt": { $0.createdAt }
                case "updatedAt": { $0.updatedAt }
                case "takenAt": { $0.fileCreatedAt }
                default: { $0.deletedAt }
                }
                if key == "trashedAt", ops.keys.contains(where: { ["eq", "ne"].contains($0) && ops[$0]!.isNull }) {
                    // `{eq: null}`: not in the trash (the live asset); `{ne: null}`: only trashed ones.
                    let wantsTrashed = ops["ne"]?.isNull == true
                    predicates.append { ($0.deletedAt != nil) == wantsTrashed }
                }
                let comparisons: [(String, (Date, Date) -> Bool)] = [("eq", ==), ("ne", !=), ("gt", >), ("gte", >=), ("lt", <), ("lte", <=)]
                for (op, compare) in comparisons {
                    if let bound = try operand.date(op) {
                        predicates.append { read($0).map { compare($0, bound) } ?? false }
                    }
                }
            case "albumIds":
                let any = try operand.uuidArray("any"), all = try operand.uuidArray("all"), none = try operand.uuidArray("none")
                scope.albumPredicates.append { albums in
                    let member: (String, String) -> Bool = { albumId, assetId in albums[albumId]?.assetIds.contains(assetId) ?? false }
                    return { asset in
                        (any.map { $0.contains { member($0, asset.id) } } ?? true)
                            && (all.map { $0.allSatisfy { member($0, asset.id) } } ?? true)
                            && (none.map { !$0.contains { member($0, asset.id) } } ?? true)
                    }
                }
            default:
                break
            }
        }
        return { asset in predicates.allSatisfy { $0(asset) } }
    }

    /// `StringPatternFilter`: eq/ne/in/notIn exact on the raw value; like/startsWith/endsWith case- and accent-insensitive.
    private static func stringPattern(_ operand: RequestBody, _ read: @escaping (AssetRecord) -> String) throws -> [Predicate] {
        var predicates: [Predicate] = []
        if let eq = try operand.string("eq") { predicates.append { read($0) == eq } }
        if let ne = try operand.string("ne") { predicates.append { read($0) != ne } }
        if let list = try stringArray(operand, "in") { let set = Set(list); predicates.append { set.contains(read($0)) } }
        if let list = try stringArray(operand, "notIn") { let set = Set(list); predicates.append { !set.contains(read($0)) } }
        if let like = try operand.string("like") { let p = LikePattern(like, caseInsensitive: true); predicates.append { p.matches(read($0)) } }
        if let like = try operand.string("notLike") { let p = LikePattern(like, caseInsensitive: true); predicates.append { !p.matches(read($0)) } }
        if let prefix = try operand.string("startsWith") {
            let folded = LikePattern.fold(prefix)
            predicates.append { LikePattern.fold(read($0)).hasPrefix(folded) }
        }
        if let suffix = try operand.string("endsWith") {
            let folded = LikePattern.fold(suffix)
            predicates.append { LikePattern.fold(read($0)).hasSuffix(folded) }
        }
        return predicates
    }

    private static func stringArray(_ operand: RequestBody, _ key: String, options: [String]? = nil) throws -> [String]? {
        guard let value = operand.fields[key], !value.isNull else { return nil }
        guard let items = value.arrayValue, items.allSatisfy({ $0.stringValue != nil }) else {
            throw ImmichError.invalid(key, zod: "Invalid input: expected array of strings", classValidator: "\(key) must be an array")
        }
        let strings = items.compactMap(\.stringValue)
        if let options, let bad = strings.first(where: { !options.contains($0) }) {
            throw ImmichError.invalid(key, code: "invalid_value", zod: "Invalid option: \(bad)", classValidator: "\(key) has an invalid value")
        }
        return strings
    }

    /// The operators each filter field knows (`IdFilter` has no `in`).
    static let operatorsOf: [String: [String]] = [
        "id": ["eq", "ne"], "libraryId": ["eq", "ne"],
        "originalPath": ["eq", "ne", "in", "notIn", "like", "notLike", "startsWith", "endsWith"],
        "originalFileName": ["eq", "ne", "in", "notIn", "like", "notLike", "startsWith", "endsWith"],
        "checksum": ["eq", "ne", "in", "notIn"], "type": ["eq", "ne", "in", "notIn"], "visibility": ["eq", "ne", "in", "notIn"],
        "isFavorite": ["eq"], "isMotion": ["eq"], "isOffline": ["eq"], "hasAlbums": ["eq"],
        "createdAt": ["eq", "ne", "gt", "gte", "lt", "lte"], "updatedAt": ["eq", "ne", "gt", "gte", "lt", "lte"],
        "takenAt": ["eq", "ne", "gt", "gte", "lt", "lte"], "trashedAt": ["eq", "ne", "gt", "gte", "lt", "lte"],
        "albumIds": ["any", "all", "none"],
    ]

    /// An operator object as zod reads it: operators the field does not know are dropped, and
    /// what is left must name at least one (`{"in": […]}` on `id` is refused this way); a
    /// boolean filter needs its `eq`.
    private static func operators(_ value: SandboxJSON, known: [String], path: [SandboxJSON]) throws -> [String: SandboxJSON] {
        guard let object = value.objectValue else {
            throw ImmichError.validation([.init(path: path, code: "invalid_type", zodMessage: "Invalid input: expected object",
                                                classValidatorMessage: "must be an object")])
        }
        let kept = object.filter { known.contains($0.key) }
        if known == ["eq"] {
            // `BoolFilter` is a plain object whose `eq` is required.
            guard let eq = kept["eq"], !eq.isNull else {
                throw ImmichError.validation([.init(path: path + ["eq"], code: "invalid_type",
                                                    zodMessage: "Invalid input: expected boolean, received undefined",
                                                    classValidatorMessage: "eq must be a boolean value")])
            }
            return kept
        }
        if kept.isEmpty {
            let list = known.joined(separator: ", ")
            throw ImmichError.validation([.init(path: path, code: "custom", zodMessage: "At least one of the following fields is required: \(list)",
                                                classValidatorMessage: "at least one of the following fields is required: \(list)")])
        }
        return kept
    }

    /// Sub-filters are strict even in v3: unknown keys are rejected.
    private static func strict(_ object: [String: SandboxJSON], allowed: Set<String>, path: [SandboxJSON]) throws {
        let unknown = object.keys.filter { !allowed.contains($0) }.sorted()
        guard !unknown.isEmpty else { return }
        throw ImmichError.validation(unknown.map {
            .init(path: path, code: "unrecognized_keys", zodMessage: "Unrecognized key: \"\($0)\"",
                  classValidatorMessage: "property \($0) should not exist")
        })
    }

    // MARK: shared helpers

    private static func ownerAndTrash(_ ownerId: String, withDeleted: Bool) -> Predicate {
        { $0.ownerId == ownerId && (withDeleted || !$0.isTrashed) }
    }

    /// Newest first by default; ties broken by id in the same direction so paging is stable.
    private static func sorted(_ assets: [AssetRecord], by field: KeyPath<AssetRecord, Date>, ascending: Bool) -> [AssetRecord] {
        assets.sorted { a, b in
            let x = a[keyPath: field], y = b[keyPath: field]
            if x != y { return ascending ? x < y : x > y }
            return ascending ? a.id < b.id : a.id > b.id
        }
    }

    private static func response(items: [SandboxJSON], nextPage: SandboxJSON, nextCursor: SandboxJSON?) -> SandboxJSON {
        var assets: [String: SandboxJSON] = ["total": .int(items.count), "count": .int(items.count), "items": .array(items),
                                             "facets": [], "nextPage": nextPage]
        if let nextCursor { assets["nextCursor"] = nextCursor }
        return ["albums": ["total": 0, "count": 0, "items": [], "facets": []], "assets": .object(assets)]
    }

    /// 28 characters → base64, otherwise hex (as Immich reads `checksum`).
    static func decodeChecksum(_ text: String) -> Data {
        if text.count == 28, let data = Data(base64Encoded: text) { return data }
        var bytes: [UInt8] = []
        var chars = Array(text.utf8)[...]
        while chars.count >= 2 {
            guard let byte = UInt8(String(decoding: chars.prefix(2), as: UTF8.self), radix: 16) else { return Data() }
            bytes.append(byte)
            chars = chars.dropFirst(2)
        }
        return chars.isEmpty ? Data(bytes) : Data()
    }

    private static func encodeCursor(_ key: Double, _ id: String) -> String {
        Data("\(key)|\(id)".utf8).base64EncodedString()
    }

    private static func decodeCursor(_ text: String) -> (Double, String)? {
        guard let data = Data(base64Encoded: text), let decoded = String(data: data, encoding: .utf8) else { return nil }
        let parts = decoded.split(separator: "|", maxSplits: 1)
        guard parts.count == 2, let key = Double(parts[0]) else { return nil }
        return (key, String(parts[1]))
    }
}
