// Thin entry point; the logic lives in Shared.
import Foundation
import Shared

exit(await CommandMain.run(ImmichFavCommand.spec) { try await ImmichFavCommand.run($0) })
