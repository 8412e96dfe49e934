extension SignInError {
    /// Sign-in failures a `--watch-with-interval` loop waits out instead of exiting: a new
    /// two-factor code is needed and nobody can type it (the user may run `--auth-only`
    /// meanwhile), or Apple or the network is briefly unavailable.
    var keepsWatchAlive: Bool {
        switch self {
        case .codeNeeded, .throttled, .network: true
        default: false
        }
    }
}
