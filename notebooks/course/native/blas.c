// course_blas: one function, C = op(A) · op(B) in float64, handed to the system's optimised BLAS
// (OpenBLAS, BLIS, MKL or Apple Accelerate), found at run time with dlopen. Built without any BLAS
// headers or libraries, so it compiles anywhere a C compiler and Node's headers are; when no fast
// BLAS is installed it loads anyway and says so (`available` is false) and the course falls back.
//
// Every size and length is checked here, not only in JavaScript: learner code can reach this
// module, and a wrong length must be an exception, never a read or write out of bounds.
#include <node_api.h>
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

// cblas_dgemm(order, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc)
typedef void (*dgemm_fn)(int, int, int, int, int, int, double, const double *, int, const double *, int, double, double *, int);
enum { ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112 };

static dgemm_fn dgemm = NULL;
static char library[256] = "";

// Only libraries known to be fast: the reference BLAS (libblas.so.3 without OpenBLAS) is 16–21×
// slower than OpenBLAS on this course's products, slower than the course's own fallback.
static const char *CANDIDATES[] = {
  "libopenblas.so.0", "libopenblas.so", "libopenblasp-r0.3.so",
  "libblis.so.4", "libblis.so", "libmkl_rt.so.2", "libmkl_rt.so",
  "/opt/homebrew/opt/openblas/lib/libopenblas.dylib", "/usr/local/opt/openblas/lib/libopenblas.dylib",
  "/System/Library/Frameworks/Accelerate.framework/Accelerate",
};

static void find_blas(void) {
  for (size_t i = 0; i < sizeof CANDIDATES / sizeof *CANDIDATES; i++) {
    void *h = dlopen(CANDIDATES[i], RTLD_NOW | RTLD_LOCAL);
    if (!h) continue;
    dgemm_fn f = (dgemm_fn)dlsym(h, "cblas_dgemm");
    if (f) { dgemm = f; snprintf(library, sizeof library, "%s", CANDIDATES[i]); return; }
    dlclose(h);
  }
}

static napi_value fail(napi_env env, const char *message) {
  napi_throw_range_error(env, NULL, message);
  return NULL;
}

static int get_int(napi_env env, napi_value v, int64_t *out) {
  double d;
  if (napi_get_value_double(env, v, &d) != napi_ok || d != (double)(int64_t)d || d < 0 || d > 1e9) return 0;
  *out = (int64_t)d;
  return 1;
}

static int get_f64(napi_env env, napi_value v, double **data, size_t *length) {
  bool is;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is) return 0;
  napi_typedarray_type type;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, v, &type, length, (void **)data, &buffer, &offset) != napi_ok) return 0;
  return type == napi_float64_array;
}

// dgemm(transA, transB, M, N, K, A, B, C[, addToC]): C (M, N) = op(A) (M, K) · op(B) (K, N), or
// C + op(A) · op(B) when addToC (BLAS's beta = 1: a bias already in C is added for free), all
// row-major and contiguous; op(A) = Aᵀ when transA, so A is stored (K, M) then.
static napi_value Dgemm(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value a[9];
  if (napi_get_cb_info(env, info, &argc, a, NULL, NULL) != napi_ok || (argc != 8 && argc != 9)) return fail(env, "dgemm: expected 8 or 9 arguments");
  bool addToC = false;
  if (argc == 9 && napi_get_value_bool(env, a[8], &addToC) != napi_ok) return fail(env, "dgemm: addToC must be a boolean");
  if (!dgemm) return fail(env, "dgemm: no optimised BLAS library was found");
  bool ta, tb;
  int64_t M, N, K;
  if (napi_get_value_bool(env, a[0], &ta) != napi_ok || napi_get_value_bool(env, a[1], &tb) != napi_ok) return fail(env, "dgemm: transA and transB must be booleans");
  if (!get_int(env, a[2], &M) || !get_int(env, a[3], &N) || !get_int(env, a[4], &K)) return fail(env, "dgemm: M, N and K must be whole numbers between 0 and 1e9");
  if (M > INT32_MAX / (K ? K : 1) || N > INT32_MAX / (K ? K : 1) || M > INT32_MAX / (N ? N : 1)) return fail(env, "dgemm: matrices too large");
  double *A, *B, *C;
  size_t la, lb, lc;
  if (!get_f64(env, a[5], &A, &la) || !get_f64(env, a[6], &B, &lb) || !get_f64(env, a[7], &C, &lc)) return fail(env, "dgemm: A, B and C must be Float64Arrays");
  if (la != (size_t)(M * K) || lb != (size_t)(K * N) || lc != (size_t)(M * N)) return fail(env, "dgemm: an array's length does not match M, N and K");
  if (M == 0 || N == 0) return NULL;
  if (K == 0) { if (!addToC) memset(C, 0, lc * sizeof(double)); return NULL; }
  dgemm(ROW_MAJOR, ta ? TRANS : NO_TRANS, tb ? TRANS : NO_TRANS, (int)M, (int)N, (int)K, 1.0, A, ta ? (int)M : (int)K, B, tb ? (int)K : (int)N, addToC ? 1.0 : 0.0, C, (int)N);
  return NULL;
}

static napi_value Init(napi_env env, napi_value exports) {
  find_blas();
  napi_value fn, available, lib;
  napi_create_function(env, "dgemm", NAPI_AUTO_LENGTH, Dgemm, NULL, &fn);
  napi_get_boolean(env, dgemm != NULL, &available);
  napi_create_string_utf8(env, library, NAPI_AUTO_LENGTH, &lib);
  napi_set_named_property(env, exports, "dgemm", fn);
  napi_set_named_property(env, exports, "available", available);
  napi_set_named_property(env, exports, "library", lib);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
