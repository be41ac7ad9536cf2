// One of the two translation units of the ODR test (see CMakeLists.txt and odr_unit.inc).
#define NNFS_ODR_UNIT(name) a_##name
#include "odr_unit.inc"
