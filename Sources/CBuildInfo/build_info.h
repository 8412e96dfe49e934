// The commit a binary was built from, for --version. scripts/install.sh (and package.sh)
// build with -Xcc -DPHOTOS_BUILD_COMMIT='"<git describe>"'; a plain `swift build` leaves it
// empty and --version says so. A C macro because SwiftPM has no other way to hand a build
// a value without a plugin or a generated file in the tree.
#ifndef PHOTOS_BUILD_COMMIT
#define PHOTOS_BUILD_COMMIT ""
#endif

static inline const char *photos_build_commit(void) {
    return PHOTOS_BUILD_COMMIT;
}
