/** Numbers of perf's file format (include/uapi/linux/perf_event.h, tools/perf/util/event.h, header.h). */

/** Kernel record types. */
export const REC_MMAP = 1;
export const REC_LOST = 2;
export const REC_COMM = 3;
export const REC_EXIT = 4;
export const REC_FORK = 7;
export const REC_SAMPLE = 9;
export const REC_MMAP2 = 10;
export const REC_LOST_SAMPLES = 13;
/** One past the last kernel record type perf 6.x knows (AUX_OUTPUT_HW_ID = 21). */
export const REC_KERNEL_MAX = 22;

/** perf's own (user) record types. */
export const REC_USER_START = 64;
export const REC_HEADER_ATTR = 64;
export const REC_HEADER_EVENT_TYPE = 65;
export const REC_HEADER_TRACING_DATA = 66;
export const REC_HEADER_BUILD_ID = 67;
export const REC_FINISHED_ROUND = 68;
export const REC_ID_INDEX = 69;
export const REC_AUXTRACE_INFO = 70;
export const REC_AUXTRACE = 71;
export const REC_HEADER_FEATURE = 80;
export const REC_COMPRESSED = 81;
export const REC_FINISHED_INIT = 82;
/** perf 6.16+: like COMPRESSED with a data_size field and 8-byte padding. */
export const REC_COMPRESSED2 = 83;
export const REC_USER_MAX = 84;

/** header.misc bits. */
export const MISC_CPUMODE_MASK = 7;
export const MISC_KERNEL = 1;
export const MISC_COMM_EXEC = 1 << 13;
export const MISC_MMAP_BUILD_ID = 1 << 14;

/** attr.sample_type bits. */
export const S_IP = 1 << 0;
export const S_TID = 1 << 1;
export const S_TIME = 1 << 2;
export const S_ADDR = 1 << 3;
export const S_READ = 1 << 4;
export const S_CALLCHAIN = 1 << 5;
export const S_ID = 1 << 6;
export const S_CPU = 1 << 7;
export const S_PERIOD = 1 << 8;
export const S_STREAM_ID = 1 << 9;
export const S_RAW = 1 << 10;
export const S_BRANCH_STACK = 1 << 11;
export const S_REGS_USER = 1 << 12;
export const S_STACK_USER = 1 << 13;
export const S_WEIGHT = 1 << 14;
export const S_DATA_SRC = 1 << 15;
export const S_IDENTIFIER = 1 << 16;
export const S_TRANSACTION = 1 << 17;
export const S_REGS_INTR = 1 << 18;
export const S_PHYS_ADDR = 1 << 19;
export const S_AUX = 1 << 20;
export const S_CGROUP = 1 << 21;
export const S_DATA_PAGE_SIZE = 1 << 22;
export const S_CODE_PAGE_SIZE = 1 << 23;
export const S_WEIGHT_STRUCT = 1 << 24;

/** attr.read_format bits. */
export const F_TOTAL_TIME_ENABLED = 1 << 0;
export const F_TOTAL_TIME_RUNNING = 1 << 1;
export const F_ID = 1 << 2;
export const F_GROUP = 1 << 3;
export const F_LOST = 1 << 4;

/** attr.branch_sample_type bits that add words to a sample's branch stack. */
export const BRANCH_HW_INDEX = 1 << 17;
export const BRANCH_COUNTERS = 1 << 19;

/** attr.type of tracepoints: their config is the format's id. */
export const TYPE_TRACEPOINT = 2;

/** Callchain context markers (PERF_CONTEXT_*): values above this are markers, not addresses. */
export const CONTEXT_MAX = 0xfffffffffffff001n;
export const CONTEXT_HV = 0xffffffffffffffe0n;
export const CONTEXT_KERNEL = 0xffffffffffffff80n;
export const CONTEXT_USER = 0xfffffffffffffe00n;
export const CONTEXT_GUEST = 0xfffffffffffff800n;
export const CONTEXT_GUEST_KERNEL = 0xfffffffffffff780n;
export const CONTEXT_GUEST_USER = 0xfffffffffffff600n;

/** Header feature bits (tools/perf/util/header.h). */
export const FEAT_TRACING_DATA = 1;
export const FEAT_BUILD_ID = 2;
export const FEAT_HOSTNAME = 3;
export const FEAT_OSRELEASE = 4;
export const FEAT_VERSION = 5;
export const FEAT_ARCH = 6;
export const FEAT_NRCPUS = 7;
export const FEAT_CPUDESC = 8;
export const FEAT_CPUID = 9;
export const FEAT_TOTAL_MEM = 10;
export const FEAT_CMDLINE = 11;
export const FEAT_EVENT_DESC = 12;
export const FEAT_SAMPLE_TIME = 21;
export const FEAT_CLOCKID = 23;
export const FEAT_COMPRESSED = 27;
export const FEAT_CLOCK_DATA = 29;
/** The bitmap's width (HEADER_FEAT_BITS). */
export const FEAT_BITS = 256;

export const FILE_HEADER_SIZE = 104;
export const PIPE_HEADER_SIZE = 16;
export const RECORD_HEADER_SIZE = 8;
