// The parts of the system's libcrypto (OpenSSL 1.1 / 3.x) the sign-in needs.
#include <openssl/opensslv.h>
#include <openssl/sha.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/bn.h>
#include <openssl/rand.h>
#include <openssl/err.h>
