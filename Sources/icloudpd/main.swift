// Thin entry point; the logic lives in Shared.
import Foundation
import Shared

MallocArenas.limit(to: 2)  // flat memory over long downloads (see MallocArenas)
exit(await ICloudPDCommand.main())
