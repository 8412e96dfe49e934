// The system's SQLite 3 (the state database of icloudpd's incremental sync).
#include <sqlite3.h>
