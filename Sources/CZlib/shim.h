// The system's zlib: raw deflate streams (windowBits -15, no zlib header), as in the CPLAsset
// field `adjustmentSimpleDataEnc`. inflateInit2/deflateInit2 are macros, which Swift does not
// import: these wrappers are their fixed-argument forms.
#include <zlib.h>

static inline int czlib_inflate_init_raw(z_streamp stream) {
    return inflateInit2(stream, -MAX_WBITS);
}

static inline int czlib_deflate_init_raw(z_streamp stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
}
