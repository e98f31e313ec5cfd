#ifndef OSSFUSE_CSQLITE_SHIM_H
#define OSSFUSE_CSQLITE_SHIM_H
#include <sqlite3.h>
#endif
