#include <cblas.h>
// OpenBLAS's own thread control, so the engine can pin BLAS to the configured thread count.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char *openblas_get_config(void);
