import TRMCore

// OpenBLAS reads its worker spin only when it loads, so it is set by relaunching before any work;
// every measurement's child process inherits it.
BLAS.relaunchWithShortWorkerSpin()
TRMBench.main()
