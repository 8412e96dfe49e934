// Thin entry point; the logic lives in Shared.
import Foundation
import Shared

exit(await ICloudPDCommand.main())
