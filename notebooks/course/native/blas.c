// course_blas: C = op(A) · op(B) in float64, handed to the system's optimised BLAS
// (OpenBLAS, BLIS, MKL or Apple Accelerate), found at run time with dlopen. Built without any BLAS
// headers or libraries, so it compiles anywhere a C compiler and Node's headers are; when no fast
// BLAS is installed it loads anyway and says so (`available` is false) and the course falls back.
// Also two element-wise passes of ReLU's forward and backward steps, compiled for the CPU's vectors.
//
// Every size and length is checked here, not only in JavaScript: learner code can reach this
// module, and a wrong length must be an exception, never a read or write out of bounds.
#include <node_api.h>
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

// NOTE: OpenBLAS picks its kernels by the CPU it recognises, when the library loads. Releases before
// 0.3.22 (Debian 12 ships 0.3.21) do not know AMD's Zen 4 and run its AVX-512 units with the Haswell
// kernels (AVX2): 14.1 ms for the course's (200, 784) · (784, 2000) product where the SkylakeX kernels
// take 9–11, and the MNIST training 22.2 ms an iteration against 15.1. On a CPU with the AVX-512
// subset those kernels use, the SkylakeX kernels are asked for — unless OPENBLAS_CORETYPE is set
// already (the user's choice wins). Other libraries ignore the variable.
static void prefer_avx512_kernels(void) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  __builtin_cpu_init();
  if (getenv("OPENBLAS_CORETYPE") == NULL && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") &&
      __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
    setenv("OPENBLAS_CORETYPE", "SkylakeX", 0);
#endif
}

static void find_blas(void) {
  prefer_avx512_kernels();
  for (size_t i = 0; i < sizeof CANDIDATES / sizeof *CANDIDATES; i++) {
    void *h = dlopen(CANDIDATES[i], RTLD_NOW | RTLD_LOCAL);
    if (!h) continue;
    dgemm_fn f = (dgemm_fn)dlsym(h, "cblas_dgemm");
    if (f) {
      dgemm = f;
      // OpenBLAS names the kernels it chose ("Haswell", "SkylakeX"): `nd.backend()` shows them.
      typedef char *(*corename_fn)(void);
      corename_fn core = (corename_fn)dlsym(h, "openblas_get_corename");
      const char *name = core ? core() : NULL;
      if (name && *name) snprintf(library, sizeof library, "%s, %s kernels", CANDIDATES[i], name);
      else snprintf(library, sizeof library, "%s", CANDIDATES[i]);
      return;
    }
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

// ── Element-wise passes of the MNIST iteration (exact operations: the same values as the
// TypeScript loops in nd-elementwise.ts, which run wherever this addon does not) ──
// NOTE: V8 compiles a JavaScript loop over a Float64Array to scalar code; these loops are compiled
// for AVX-512, AVX2 or plain x86-64 (chosen when the addon loads): ReLU's max(Z, 0) over (200, 2000)
// takes 0.07 ms here against 0.4–0.8 in the TypeScript loop.
#if defined(__x86_64__) && defined(__linux__) && defined(__GNUC__) && !defined(__clang__)
#define SIMD_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define SIMD_CLONES
#endif

// out = max(a, s) (or min when `smaller`), NaN where a or s is NaN, as np.maximum / np.minimum —
// computed as nd-elementwise.ts's loop does (x·m + s·(1 − m), m the comparison), so that both give
// the same value to the sign of a zero.
#define EXTREME_LOOP(CMP)                                                          \
  for (size_t k = 0; k < n; k++) {                                                \
    double x = a[k], m = (double)(x CMP s), r = x * m + s * (1.0 - m);             \
    o[k] = r == r ? r : (x != x || s != s) ? x + s : (x CMP s) ? x : s;             \
  }
SIMD_CLONES static void extreme_scalar(const double *restrict a, double s, double *restrict o, size_t n, bool smaller) {
  if (smaller) EXTREME_LOOP(<) else EXTREME_LOOP(>)
}

// out = v ⊙ (z op s), op 0: >, 1: >=, 2: <, 3: <= (v and out may be the same array).
SIMD_CLONES static void masked_product(const double *restrict z, const double *v, double s, double *o, size_t n, int op) {
  switch (op) {
    case 0: for (size_t k = 0; k < n; k++) o[k] = v[k] * (double)(z[k] > s); break;
    case 1: for (size_t k = 0; k < n; k++) o[k] = v[k] * (double)(z[k] >= s); break;
    case 2: for (size_t k = 0; k < n; k++) o[k] = v[k] * (double)(z[k] < s); break;
    default: for (size_t k = 0; k < n; k++) o[k] = v[k] * (double)(z[k] <= s); break;
  }
}

// extremeScalar(A, s, out, smaller): see extreme_scalar; A and out of one length.
static napi_value ExtremeScalar(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value a[4];
  if (napi_get_cb_info(env, info, &argc, a, NULL, NULL) != napi_ok || argc != 4) return fail(env, "extremeScalar: expected 4 arguments");
  double *A, *O, s;
  size_t la, lo;
  bool smaller;
  if (!get_f64(env, a[0], &A, &la) || !get_f64(env, a[2], &O, &lo) || la != lo) return fail(env, "extremeScalar: A and out must be Float64Arrays of one length");
  if (napi_get_value_double(env, a[1], &s) != napi_ok || napi_get_value_bool(env, a[3], &smaller) != napi_ok) return fail(env, "extremeScalar: s must be a number and smaller a boolean");
  extreme_scalar(A, s, O, la, smaller);
  return NULL;
}

// maskedProduct(Z, V, s, out, op): see masked_product; Z, V and out of one length.
static napi_value MaskedProduct(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value a[5];
  if (napi_get_cb_info(env, info, &argc, a, NULL, NULL) != napi_ok || argc != 5) return fail(env, "maskedProduct: expected 5 arguments");
  double *Z, *V, *O, s;
  size_t lz, lv, lo;
  int64_t op;
  if (!get_f64(env, a[0], &Z, &lz) || !get_f64(env, a[1], &V, &lv) || !get_f64(env, a[3], &O, &lo) || lz != lv || lz != lo) return fail(env, "maskedProduct: Z, V and out must be Float64Arrays of one length");
  if (napi_get_value_double(env, a[2], &s) != napi_ok || !get_int(env, a[4], &op) || op > 3) return fail(env, "maskedProduct: s must be a number and op 0 … 3");
  masked_product(Z, V, s, O, lz, (int)op);
  return NULL;
}

static napi_value Init(napi_env env, napi_value exports) {
  find_blas();
  napi_value fn, available, lib;
  napi_create_function(env, "dgemm", NAPI_AUTO_LENGTH, Dgemm, NULL, &fn);
  napi_get_boolean(env, dgemm != NULL, &available);
  napi_create_string_utf8(env, library, NAPI_AUTO_LENGTH, &lib);
  napi_set_named_property(env, exports, "dgemm", fn);
  napi_create_function(env, "extremeScalar", NAPI_AUTO_LENGTH, ExtremeScalar, NULL, &fn);
  napi_set_named_property(env, exports, "extremeScalar", fn);
  napi_create_function(env, "maskedProduct", NAPI_AUTO_LENGTH, MaskedProduct, NULL, &fn);
  napi_set_named_property(env, exports, "maskedProduct", fn);
  napi_set_named_property(env, exports, "available", available);
  napi_set_named_property(env, exports, "library", lib);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
