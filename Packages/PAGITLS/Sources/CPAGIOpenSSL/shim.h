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

static inline long CPAGIOpenSSL_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, int version) {
    return SSL_CTX_set_max_proto_version(ctx, version);
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
static inline long CPAGIOpenSSL_SSL_CTX_set_dh_auto(SSL_CTX *ctx, int onoff) {
    return SSL_CTX_set_dh_auto(ctx, onoff);
}

static inline long CPAGIOpenSSL_BIO_set_mem_eof_return(BIO *bio, int value) {
    return BIO_set_mem_eof_return(bio, value);
}

// SSL_OP_* are built with SSL_OP_BIT(n), a shift expression Swift does not import.
static inline uint64_t CPAGIOpenSSL_server_options(void) {
    return SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION
        | SSL_OP_NO_SSLv3 | SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_1;
}

// The subject name flags for RFC 4514 output: RFC 2253 order and escaping, but UTF-8 left as is
// instead of escaped byte by byte (ASN1_STRFLGS_ESC_MSB), the form nginx and Go also produce.
static inline unsigned long CPAGIOpenSSL_XN_FLAG_RFC4514(void) {
    return XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB;
}

static inline int CPAGIOpenSSL_sk_X509_num(const STACK_OF(X509) *stack) {
    return sk_X509_num(stack);
}

static inline X509 *CPAGIOpenSSL_sk_X509_value(const STACK_OF(X509) *stack, int index) {
    return sk_X509_value(stack, index);
}

// ALPN selection runs inside OpenSSL's ClientHello processing. `arg` is the server's protocol list
// in wire format (length-prefixed names, most preferred first), owned by the context object that
// registered this callback and alive as long as the SSL_CTX. SSL_select_next_proto's `out`
// parameter is not const-qualified although it only points into the lists, hence the cast.
static inline int CPAGIOpenSSL_alpn_select(SSL *ssl, const unsigned char **out, unsigned char *outlen,
                                    const unsigned char *in, unsigned int inlen, void *arg) {
    (void)ssl;
    const unsigned char *server = (const unsigned char *)arg;
    unsigned int serverLength = (unsigned int)server[0] << 8 | server[1];
    if (SSL_select_next_proto((unsigned char **)out, outlen, server + 2, serverLength, in, inlen)
        != OPENSSL_NPN_NEGOTIATED) {
        // RFC 7301 §3.2: no protocol in common is a fatal no_application_protocol alert.
        return SSL_TLSEXT_ERR_ALERT_FATAL;
    }
    return SSL_TLSEXT_ERR_OK;
}

// Registers CPAGIOpenSSL_alpn_select. `protocols` is a two-byte big-endian length followed by the
// wire-format list; the caller keeps it allocated for the lifetime of `ctx`.
static inline void CPAGIOpenSSL_SSL_CTX_set_alpn_server_protocols(SSL_CTX *ctx, const unsigned char *protocols) {
    SSL_CTX_set_alpn_select_cb(ctx, CPAGIOpenSSL_alpn_select, (void *)protocols);
}
#endif
