import Foundation

/// `/server/*`, `/users/me`, `/api-keys/me` (docs/references.md#immich-versions).
enum ServerRoutes {
    static let routes: [ImmichRoute] = [
        ImmichRoute("GET", "/api/server/ping", auth: .none) { _ in .json(["res": "pong"]) },
        ImmichRoute("GET", "/api/server/version", auth: .none) { context in
            .json(["major": .int(context.version.major), "minor": .int(context.version.minor), "patch": .int(context.version.patch)])
        },
        ImmichRoute("GET", "/api/server/version-history", auth: .none) { context in
            .json([["id": .string(SandboxUUID.make()), "createdAt": .string(SandboxTime.string(Date())),
                    "version": .string(context.version.plain)]])
        },
        ImmichRoute("GET", "/api/server/media-types", auth: .none) { _ in
            .json(["image": .array(MediaTypes.image.map { .string($0) }),
                   "video": .array(MediaTypes.video.map { .string($0) }),
                   "sidecar": .array(MediaTypes.sidecar.map { .string($0) })])
        },
        ImmichRoute("GET", "/api/server/features", auth: .none) { _ in
            .json(["smartSearch": false, "facialRecognition": false, "duplicateDetection": false, "map": false,
                   "reverseGeocoding": false, "sidecar": true, "search": true, "trash": true, "oauth": false,
                   "oauthAutoLaunch": false, "passwordLogin": true, "configFile": false, "email": false,
                   "importFaces": false, "ocr": false])
        },
        ImmichRoute("GET", "/api/server/config", auth: .none) { _ in
            .json(["trashDays": 30, "userDeleteDelay": 7, "externalDomain": "", "loginPageMessage": "",
                   "isInitialized": true, "isOnboarded": true, "oauthButtonText": "", "mapDarkStyleUrl": "",
                   "mapLightStyleUrl": "", "publicUsers": true])
        },
        ImmichRoute("GET", "/api/server/about") { context in
            let tag = "v\(context.version.plain)"
            return .json(["version": .string(tag),
                          "versionUrl": .string("https://github.com/immich-app/immich/releases/tag/\(tag)"),
                          "licensed": false, "build": "sandbox", "nodejs": "v22.0.0", "repository": "immich-app/immich",
                          "sourceRef": .string(tag)])
        },
        ImmichRoute("GET", "/api/users/me") { context in
            try context.withWorld { world in .json(context.dtos(world).userAdmin(context.caller!)) }
        },
        ImmichRoute("GET", "/api/api-keys/me") { context in
            let user = context.caller!
            return .json(["id": .string(user.apiKeyId), "name": "sandbox",
                          "createdAt": .string(SandboxTime.string(user.createdAt)),
                          "updatedAt": .string(SandboxTime.string(user.createdAt)),
                          "permissions": ["all"]])
        },
    ]
}
