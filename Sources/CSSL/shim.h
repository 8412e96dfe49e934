// OpenSSL's libssl and the X.509 parts of libcrypto (OpenSSL 1.1 / 3.x) the HTTPS server needs.
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/obj_mac.h>

// Wrappers for what OpenSSL defines as macros (or variadic functions), which Swift cannot call.

static inline int cssl_ctx_set_min_tls12(SSL_CTX *ctx) {
    return (int)SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
}

// A P-256 key; set_ec_paramgen_curve_nid is a macro in 1.1 (EVP_EC_gen exists only in 3.x).
static inline EVP_PKEY *cssl_generate_p256(void) {
    EVP_PKEY *key = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_EC, NULL);
    if (ctx && EVP_PKEY_keygen_init(ctx) > 0
        && EVP_PKEY_CTX_set_ec_paramgen_curve_nid(ctx, NID_X9_62_prime256v1) > 0) {
        if (EVP_PKEY_keygen(ctx, &key) <= 0) key = NULL;
    }
    EVP_PKEY_CTX_free(ctx);
    return key;
}

// Adds one X.509v3 extension written as in openssl.cnf ("critical,CA:TRUE"); the cert is its
// own issuer. X509V3_set_ctx_nodb is a macro and X509V3_CTX a stack struct.
static inline int cssl_add_extension(X509 *cert, int nid, const char *value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, NULL, NULL, 0);
    X509_EXTENSION *extension = X509V3_EXT_conf_nid(NULL, &ctx, nid, (char *)value);
    if (!extension) return 0;
    int added = X509_add_ext(cert, extension, -1);
    X509_EXTENSION_free(extension);
    return added;
}
