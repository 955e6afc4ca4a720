// The system zlib (Debian: zlib1g-dev), imported only by PAGIWebSocket for permessage-deflate.
#ifndef CPAGIZLIB_SHIM_H
#define CPAGIZLIB_SHIM_H
#include <zlib.h>

// deflateInit2/inflateInit2 are macros Swift cannot import; these forward to the real entry points.
static inline int CPAGIZlib_deflateInit2(z_streamp stream, int level, int method, int windowBits, int memLevel, int strategy) {
    return deflateInit2(stream, level, method, windowBits, memLevel, strategy);
}

static inline int CPAGIZlib_inflateInit2(z_streamp stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}
#endif
