// Thin entry point; the fake servers live in Sandbox.
import Foundation
import Sandbox
import Shared

exit(await CommandMain.run(SandboxCommand.spec) { try await SandboxCommand.run($0) })
