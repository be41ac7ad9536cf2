// The static library nnfs::compiled: every NNFS_COMPILED_INSTANCE line of the headers, compiled
// once for float and double (nnfs/detail/compiled.hpp). A program linked with it declares the
// same instances extern and does not compile them again.
#define NNFS_COMPILED_DEFINITIONS
#include "nnfs/nnfs.hpp"
