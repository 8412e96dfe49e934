// Thin entry point; the logic lives in Shared.
import Foundation
import Shared

exit(await CommandMain.run(ImmichAlbumCommand.spec) { try await ImmichAlbumCommand.run($0) })
