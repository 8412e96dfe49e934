// Thin entry point; the logic lives in Shared.
import Foundation
import Shared

exit(await CommandMain.run(ImmichScanCommand.spec) { try await ImmichScanCommand.run($0) })
