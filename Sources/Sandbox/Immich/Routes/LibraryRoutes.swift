import Foundation

/// `/libraries*`: admin only; scanning is queued and runs later on the scan worker
/// (docs/references.md#immich-external-libraries-and-scans).
enum LibraryRoutes {
    static let routes: [ImmichRoute] = [
        ImmichRoute("GET", "/api/libraries", auth: .admin) { context in
            try context.withWorld { world in
                .json(.array(world.libraryOrder.compactMap { world.libraries[$0] }.map { context.dtos(world).library($0) }))
            }
        },
        ImmichRoute("GET", "/api/libraries/{id}", auth: .admin) { context in
            try context.withWorld { world in
                guard let library = world.libraries[context.param("id")] else { throw ImmichError.badRequest("Library not found") }
                return .json(context.dtos(world).library(library))
            }
        },
        ImmichRoute("GET", "/api/libraries/{id}/statistics", auth: .admin) { context in
            try context.withWorld { world in
                let id = context.param("id")
                guard world.libraries[id] != nil else { throw ImmichError.badRequest("Library not found") }
                let members = world.assets.values.filter { $0.libraryId == id && !$0.isTrashed }
                let photos = members.filter { $0.type == .image }.count
                return .json(["photos": .int(photos), "videos": .int(members.count - photos), "total": .int(members.count),
                              "usage": .number(Double(members.reduce(Int64(0)) { $0 + $1.fileSize }))])
            }
        },
        ImmichRoute("POST", "/api/libraries/{id}/scan", auth: .admin) { context in
            if !context.version.scanTakesNoBody {
                let body = try context.body()
                try body.rejectUnknownKeys(allowed: ["refreshModifiedFiles", "refreshAllFiles"])
                _ = try body.bool("refreshModifiedFiles")
                _ = try body.bool("refreshAllFiles")
            }
            try context.immich.queueScan(libraryId: context.param("id"))
            return .empty(status: 204)
        },
    ]
}
