// The system OpenSSL 3 (Debian: libssl-dev), imported only by PAGITLS.
#ifndef CPAGIOPENSSL_SHIM_H
#define CPAGIOPENSSL_SHIM_H
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/pem.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

// Function-like macros Swift cannot import, forwarded as inline functions.
static inline long CPAGIOpenSSL_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) {
    return SSL_CTX_set_min_proto_version(ctx, version);
}

static inline long CPAGIOpenSSL_SSL_CTX_set_options(SSL_CTX *ctx, uint64_t options) {
    return SSL_CTX_set_options(ctx, options);
}

static inline long CPAGIOpenSSL_SSL_set_tlsext_host_name(SSL *ssl, const char *name) {
    return SSL_set_tlsext_host_name(ssl, name);
}

static inline int CPAGIOpenSSL_BIO_pending(BIO *bio) {
    return (int)BIO_ctrl_pending(bio);
}
#endif
