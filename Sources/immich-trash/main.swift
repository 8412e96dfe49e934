// Thin entry point; the logic lives in Shared.
import Foundation
import Shared

exit(await CommandMain.run(ImmichTrashCommand.spec) { try await ImmichTrashCommand.run($0) })
