// Thin entry point; the logic lives in Shared.
import Foundation
import Shared

exit(await CommandMain.run(ImmichStackCommand.spec) { try await ImmichStackCommand.run($0) })
