/// An all-or-nothing bulk request on asset ids (`PUT /assets`, `DELETE /assets`, trash restore):
/// Immich checks every id first, so a 400 means some id is bad. The ids are halved until the bad
/// ones are found, so the error lands on the records that use them only. Only for requests that
/// are safe to repeat.
enum BulkIdRequest {
    /// What became of it: the ids done, and the ids refused with the reason.
    struct Outcome: Sendable {
        var applied: [String] = []
        var failed: [(ids: [String], message: String)] = []
    }

    static func send(_ client: ImmichClient, _ ids: [String],
                     _ request: @Sendable ([String]) async throws -> Void) async -> Outcome {
        do {
            try await request(ids)
            return Outcome(applied: ids)
        } catch let error as ImmichAPIError where error.status == 400 && ids.count > 1 {
            let half = ids.count / 2
            let first = await send(client, Array(ids[..<half]), request)
            let second = await send(client, Array(ids[half...]), request)
            return Outcome(applied: first.applied + second.applied, failed: first.failed + second.failed)
        } catch {
            return Outcome(failed: [(ids, client.describe(error))])
        }
    }
}
