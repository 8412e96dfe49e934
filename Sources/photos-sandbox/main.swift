import Shared
import Sandbox
print("photos-sandbox: not implemented yet")
