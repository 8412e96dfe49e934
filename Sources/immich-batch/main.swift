// Thin entry point; the logic lives in Shared.
import Foundation
import Shared

exit(await CommandMain.run(ImmichBatchCommand.spec) { try await ImmichBatchCommand.run($0) })
