/*
 * The scenario runner: for each scenario file, builds its ISO (tools/mkiso.sh), boots
 * it under QEMU with the serial line in a log file and a timeout, and judges the log.
 *
 * Scenario files (tests/scenarios/NAME.scn), one directive per line:
 *   kernel-args <words> / module <program> <words>   (read by tools/mkiso.sh)
 *   timeout <seconds>          default 60
 *   icount                     run QEMU with --icount's flags: guest rdtsc = instructions
 *   outcome <OUTCOME>          the outcome that passes (default PASS; e.g. PANIC)
 *   expect <text>              a line containing text, after the previous expect
 *   expect-any <text>          a line containing text, anywhere
 *   driver <command>           a host command run beside QEMU that is the test (below)
 * Guest protocol: "TEST PASS <name>", "TEST FAIL <name> <file>:<line> <message>",
 * "TESTS DONE pass=N fail=M". The kernel ends the run through QEMU's exit device:
 * status 1 is a clean end, 3 a kernel panic.
 *
 * A scenario passes when QEMU ended cleanly, the summary is there with fail=0, no
 * TEST FAIL line appeared and every expectation was met. Outcomes: PASS, FAIL,
 * CRASH (no summary, or QEMU died), PANIC, TIMEOUT. Each scenario is one CMocka test.
 *
 * With a driver (one boot only), the driver starts with QEMU and talks to the guest
 * (e.g. types into a shell on a second serial port, tests/linux/serial/ttydrive.c). The
 * run ends when the driver exits (QEMU then has 5 s to end by itself before it is
 * stopped) or at the timeout; the outcome:
 * PANIC if the kernel panicked, TIMEOUT, FAIL if the driver exited with a status other
 * than 0 (its output, OUT/NAME.driver, is shown) or a TEST FAIL line or an unmet
 * expectation, else PASS. No TESTS DONE summary is needed.
 *
 * Usage: runner --qemu <cmd> --icount <flags> --mkiso <script> --kernel <elf> --bin <dir> --out <dir>
 *               <scenario.scn>...
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#define MAX_EXPECT	64
#define MAX_LINES	20000
#define CONTEXT		8

struct scenario {
	char path[512];
	char name[128];
	int timeout;
	int icount;
	int outcome;		/* the expected outcome */
	int boots;		/* how many times the same ISO boots (disk images persist) */
	char setup[1024];	/* a shell command run once before the first boot */
	char qemu_args[1024];	/* added to the QEMU command line */
	char driver[1024];	/* a host command run beside QEMU that decides the outcome */
	int nexpect;
	struct {
		char text[256];
		int any;	/* expect-any */
		int line;	/* in the scenario file, for messages */
	} expect[MAX_EXPECT];
};

static struct {
	const char *qemu, *icount, *mkiso, *kernel, *bin, *out;
} opt;

enum outcome { PASS, FAIL, CRASH, PANIC, TIMEOUT };
static const char *const outcome_names[] = { "PASS", "FAIL", "CRASH", "PANIC", "TIMEOUT" };

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static void chomp(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
}

/* Copies `in` to `out`, each @OUT@ replaced by the output folder; 0 if it did not fit. */
static int subst_out(char *out, size_t size, const char *in)
{
	size_t n = 0;

	while (*in) {
		const char *piece = in;
		size_t len = 1;

		if (strncmp(in, "@OUT@", 5) == 0) {
			piece = opt.out;
			len = strlen(opt.out);
			in += 5;
		} else {
			in++;
		}
		if (n + len >= size)
			return 0;
		memcpy(out + n, piece, len);
		n += len;
	}
	out[n] = '\0';
	return 1;
}

static void scenario_read(struct scenario *sc, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	int lineno = 0;

	if (!f)
		die("%s: %s", path, strerror(errno));
	memset(sc, 0, sizeof(*sc));
	snprintf(sc->path, sizeof(sc->path), "%s", path);
	snprintf(sc->name, sizeof(sc->name), "%.*s", (int)strcspn(base, "."), base);
	sc->timeout = 60;
	sc->boots = 1;
	while (fgets(line, sizeof(line), f)) {
		int any;
		const char *text;

		lineno++;
		chomp(line);
		if (strncmp(line, "timeout ", 8) == 0) {
			sc->timeout = atoi(line + 8);
			if (sc->timeout <= 0)
				die("%s:%d: bad timeout", path, lineno);
			continue;
		}
		if (strncmp(line, "outcome ", 8) == 0) {
			sc->outcome = -1;
			for (int o = PASS; o <= TIMEOUT; o++)
				if (strcmp(line + 8, outcome_names[o]) == 0)
					sc->outcome = o;
			if (sc->outcome < 0)
				die("%s:%d: unknown outcome '%s'", path, lineno, line + 8);
			continue;
		}
		if (strncmp(line, "boots ", 6) == 0) {
			sc->boots = atoi(line + 6);
			if (sc->boots <= 0 || sc->boots > 9)
				die("%s:%d: boots must be 1 to 9", path, lineno);
			continue;
		}
		if (strncmp(line, "setup ", 6) == 0 || strncmp(line, "qemu-args ", 10) == 0 ||
		    strncmp(line, "driver ", 7) == 0) {
			const char *word = line[0] == 's' ? "setup" : line[0] == 'q' ? "qemu-args" : "driver";
			char *to = line[0] == 's' ? sc->setup : line[0] == 'q' ? sc->qemu_args : sc->driver;
			size_t size = sizeof(sc->setup);

			if (*to)
				die("%s:%d: a second %s line", path, lineno, word);
			if (!subst_out(to, size, line + strlen(word) + 1))
				die("%s:%d: line too long after @OUT@ is replaced", path, lineno);
			continue;
		}
		if (strcmp(line, "icount") == 0) {
			sc->icount = 1;
			continue;
		}
		any = strncmp(line, "expect-any ", 11) == 0;
		if (!any && strncmp(line, "expect ", 7) != 0)
			continue;
		text = line + (any ? 11 : 7);
		if (sc->nexpect == MAX_EXPECT)
			die("%s:%d: more than %d expectations", path, lineno, MAX_EXPECT);
		snprintf(sc->expect[sc->nexpect].text, sizeof(sc->expect[0].text), "%s", text);
		sc->expect[sc->nexpect].any = any;
		sc->expect[sc->nexpect].line = lineno;
		sc->nexpect++;
	}
	fclose(f);
	if (sc->driver[0] && sc->boots != 1)
		die("%s: a driver scenario boots once", path);
}

/* Starts a shell command in its own process group. */
static pid_t spawn(const char *cmd)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		setpgid(0, 0);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	return pid;
}

static int exit_status(int status)
{
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/*
 * Runs QEMU and the driver side by side until the driver ends (QEMU then has 5 s to
 * end by itself before it is stopped; if QEMU ends first the driver gets 10 s more) or
 * the timeout. Returns QEMU's status if it ended by itself, else 0, and the driver's
 * status in *driver (-1: timed out).
 */
static int run_with_driver(const char *qemu_cmd, const char *driver_cmd, int timeout, int *driver)
{
	struct timespec start, now, tick = { 0, 50 * 1000 * 1000 };
	pid_t q = spawn(qemu_cmd), d = spawn(driver_cmd);
	int qstatus = -2, status;
	double qend = 0;

	*driver = -2;
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (*driver == -2) {
		double t;

		if (qstatus == -2 && waitpid(q, &status, WNOHANG) == q)
			qstatus = exit_status(status);
		if (waitpid(d, &status, WNOHANG) == d) {
			*driver = exit_status(status);
			break;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		t = (double)(now.tv_sec - start.tv_sec) + (now.tv_nsec - start.tv_nsec) / 1e9;
		if (qstatus != -2 && !qend)
			qend = t;
		if (t >= timeout || (qend && t - qend >= 10)) {
			kill(-d, SIGKILL);
			waitpid(d, &status, 0);
			*driver = -1;
			break;
		}
		nanosleep(&tick, NULL);
	}
	/* A moment for the guest's last lines (and its own end, if it ends the run). */
	for (int i = 0; i < 100 && qstatus == -2; i++) {
		if (waitpid(q, &status, WNOHANG) == q)
			qstatus = exit_status(status);
		else
			nanosleep(&tick, NULL);
	}
	if (qstatus == -2) {
		kill(-q, SIGKILL);
		waitpid(q, &status, 0);
		qstatus = 0;
	}
	return qstatus;
}

/* Runs a shell command with a timeout; returns its exit status, or -1 on timeout. */
static int run_timed(const char *cmd, int timeout)
{
	struct timespec start, now, tick = { 0, 50 * 1000 * 1000 };
	pid_t pid = fork();
	int status;

	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		setpgid(0, 0);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= timeout) {
			kill(-pid, SIGKILL);
			waitpid(pid, &status, 0);
			return -1;
		}
		nanosleep(&tick, NULL);
	}
}

struct log {
	int n;
	char *lines[MAX_LINES];
};

static void log_read(struct log *lg, const char *path)
{
	FILE *f = fopen(path, "r");
	char buf[4096];

	lg->n = 0;
	if (!f)
		return;
	while (lg->n < MAX_LINES && fgets(buf, sizeof(buf), f)) {
		chomp(buf);
		lg->lines[lg->n++] = strdup(buf);
	}
	fclose(f);
}

static void log_free(struct log *lg)
{
	for (int i = 0; i < lg->n; i++)
		free(lg->lines[i]);
	lg->n = 0;
}

static void show(const struct log *lg, int from, int to, const char *why)
{
	if (from < 0)
		from = 0;
	if (to > lg->n)
		to = lg->n;
	fprintf(stderr, "    --- serial log, lines %d-%d (%s) ---\n", from + 1, to, why);
	for (int i = from; i < to; i++)
		fprintf(stderr, "    %5d | %s\n", i + 1, lg->lines[i]);
}

static int find(const struct log *lg, int from, const char *text)
{
	for (int i = from; i < lg->n; i++)
		if (strstr(lg->lines[i], text))
			return i;
	return -1;
}

/* Checks the expect lines; prints each one that is missing. 0 if all were found. */
static int check_expectations(const struct scenario *sc, const struct log *lg)
{
	int next = 0, missing = 0;

	for (int e = 0; e < sc->nexpect; e++) {
		int at = find(lg, sc->expect[e].any ? 0 : next, sc->expect[e].text);
		if (at < 0) {
			fprintf(stderr, "  %s:%d: expected line not found%s: %s\n", sc->path,
				sc->expect[e].line, sc->expect[e].any ? "" : " (in order)",
				sc->expect[e].text);
			show(lg, next - CONTEXT, next + CONTEXT, "where it was looked for");
			missing++;
		} else if (!sc->expect[e].any) {
			next = at + 1;
		}
	}
	return missing;
}

/* How the run ended, from QEMU's status and the guest protocol lines. */
static enum outcome run_outcome(const struct log *lg, int status, int *fail_line)
{
	int done = -1, pass = 0, fail = 0;

	*fail_line = -1;
	for (int i = 0; i < lg->n; i++) {
		if (strncmp(lg->lines[i], "TEST FAIL ", 10) == 0 && *fail_line < 0)
			*fail_line = i;
		if (sscanf(lg->lines[i], "TESTS DONE pass=%d fail=%d", &pass, &fail) == 2)
			done = i;
	}
	if (status == -1)
		return TIMEOUT;
	if (status == 3)
		return PANIC;
	if (status != 1 || done < 0)
		return CRASH;
	return *fail_line >= 0 || fail ? FAIL : PASS;
}

/*
 * Judges a finished run. The result is the run's outcome; if that is the expected one
 * but an expectation is unmet, FAIL. Context is printed for whatever went wrong.
 */
static enum outcome judge(const struct scenario *sc, const struct log *lg, int status)
{
	int fail_line;
	enum outcome out = run_outcome(lg, status, &fail_line);

	if (out != (enum outcome)sc->outcome) {
		if (fail_line >= 0) {
			fprintf(stderr, "  %s: guest test failed: %s\n", sc->name, lg->lines[fail_line] + 10);
			show(lg, fail_line - CONTEXT, fail_line + CONTEXT, "around the failure");
		} else if (out == TIMEOUT) {
			fprintf(stderr, "  %s: timed out after %d s\n", sc->name, sc->timeout);
		} else if (out == CRASH) {
			fprintf(stderr, "  %s: no TESTS DONE summary, or QEMU did not end through the "
				"exit device (status %d)\n", sc->name, status);
		} else if (out == PANIC) {
			fprintf(stderr, "  %s: kernel panic\n", sc->name);
		}
		if (out != FAIL)
			show(lg, lg->n - 3 * CONTEXT, lg->n, "last lines");
	}
	if (check_expectations(sc, lg) && out == (enum outcome)sc->outcome)
		return FAIL;
	return out;
}

/* The judgement of a driver scenario (see the top of this file). */
static enum outcome judge_driver(const struct scenario *sc, const struct log *lg, int qstatus,
				 int driver, const char *driver_log)
{
	int fail_line = -1;
	enum outcome out = PASS;
	char cmd[1200];

	for (int i = 0; i < lg->n && fail_line < 0; i++)
		if (strncmp(lg->lines[i], "TEST FAIL ", 10) == 0)
			fail_line = i;
	if (qstatus == 3) {
		fprintf(stderr, "  %s: kernel panic\n", sc->name);
		out = PANIC;
	} else if (driver == -1) {
		fprintf(stderr, "  %s: the driver did not end within %d s\n", sc->name, sc->timeout);
		out = TIMEOUT;
	} else if (driver != 0) {
		fprintf(stderr, "  %s: the driver failed (status %d); its output:\n", sc->name, driver);
		out = FAIL;
	} else if (fail_line >= 0) {
		fprintf(stderr, "  %s: guest test failed: %s\n", sc->name, lg->lines[fail_line] + 10);
		show(lg, fail_line - CONTEXT, fail_line + CONTEXT, "around the failure");
		out = FAIL;
	}
	if (out == FAIL || out == TIMEOUT) {
		snprintf(cmd, sizeof(cmd), "sed 's/^/    /' %s >&2", driver_log);
		if (system(cmd) != 0)
			fprintf(stderr, "    (no driver output)\n");
	}
	if (out != PASS && out != FAIL)
		show(lg, lg->n - 3 * CONTEXT, lg->n, "last lines");
	if (check_expectations(sc, lg) && out == PASS)
		out = FAIL;
	return out;
}

static enum outcome run_scenario(const struct scenario *sc)
{
	char iso[1024], log[1024], bootlog[1100], cmd[8192];
	struct log lg;
	enum outcome out = PASS;
	int status = 0;

	snprintf(iso, sizeof(iso), "%s/%s.iso", opt.out, sc->name);
	snprintf(log, sizeof(log), "%s/%s.log", opt.out, sc->name);
	snprintf(cmd, sizeof(cmd), "%s %s %s %s %s", opt.mkiso, sc->path, iso, opt.kernel, opt.bin);
	if (run_timed(cmd, 120) != 0) {
		fprintf(stderr, "  %s: building the ISO failed: %s\n", sc->name, cmd);
		return CRASH;
	}
	if (sc->setup[0] && run_timed(sc->setup, 120) != 0) {
		fprintf(stderr, "  %s: the setup command failed: %s\n", sc->name, sc->setup);
		return CRASH;
	}
	unlink(log);
	/*
	 * Each boot logs to its own file, appended to the scenario's log afterwards; every
	 * boot must end as the scenario expects, and the expectations run over the whole log.
	 */
	for (int boot = 1; boot <= sc->boots; boot++) {
		int fail_line;

		snprintf(bootlog, sizeof(bootlog), "%s.boot%d", log, boot);
		unlink(bootlog);
		snprintf(cmd, sizeof(cmd), "%s %s %s -serial file:%s -cdrom %s > %s.qemu 2>&1",
			 opt.qemu, sc->icount ? opt.icount : "", sc->qemu_args, bootlog, iso, log);
		if (sc->driver[0]) {
			char dcmd[2200], dlog[1100];
			int driver;

			snprintf(dlog, sizeof(dlog), "%s/%s.driver", opt.out, sc->name);
			snprintf(dcmd, sizeof(dcmd), "%s > %s 2>&1 < /dev/null", sc->driver, dlog);
			status = run_with_driver(cmd, dcmd, sc->timeout, &driver);
			snprintf(cmd, sizeof(cmd), "cat %s >> %s", bootlog, log);
			if (system(cmd) != 0)
				die("%s: cannot append %s to %s", sc->name, bootlog, log);
			unlink(bootlog);
			log_read(&lg, log);
			out = judge_driver(sc, &lg, status, driver, dlog);
			log_free(&lg);
			fprintf(stderr, "  %s: %s (log: %s, driver: %s)\n", sc->name, outcome_names[out],
				log, dlog);
			return out;
		}
		status = run_timed(cmd, sc->timeout);
		snprintf(cmd, sizeof(cmd), "cat %s >> %s", bootlog, log);
		if (system(cmd) != 0)
			die("%s: cannot append %s to %s", sc->name, bootlog, log);
		unlink(bootlog);
		if (boot < sc->boots) {
			log_read(&lg, log);
			if (run_outcome(&lg, status, &fail_line) != (enum outcome)sc->outcome) {
				fprintf(stderr, "  %s: boot %d of %d did not end as expected\n",
					sc->name, boot, sc->boots);
				out = judge(sc, &lg, status);
				log_free(&lg);
				fprintf(stderr, "  %s: %s (log: %s)\n", sc->name, outcome_names[out], log);
				return out == (enum outcome)sc->outcome ? FAIL : out;
			}
			log_free(&lg);
		}
	}
	log_read(&lg, log);
	out = judge(sc, &lg, status);
	log_free(&lg);
	fprintf(stderr, "  %s: %s (log: %s)\n", sc->name, outcome_names[out], log);
	return out;
}

static int npassed, nfailed;

static void scenario_test(void **state)
{
	const struct scenario *sc = *state;
	enum outcome out = run_scenario(sc);

	if (out == (enum outcome)sc->outcome) {
		npassed++;
		return;
	}
	nfailed++;
	fail_msg("%s: %s, expected %s", sc->name, outcome_names[out], outcome_names[sc->outcome]);
}

int main(int argc, char **argv)
{
	struct CMUnitTest *tests;
	struct scenario *scs;
	int n = 0, i;

	for (i = 1; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
		if (strcmp(argv[i], "--qemu") == 0) opt.qemu = argv[i + 1];
		else if (strcmp(argv[i], "--icount") == 0) opt.icount = argv[i + 1];
		else if (strcmp(argv[i], "--mkiso") == 0) opt.mkiso = argv[i + 1];
		else if (strcmp(argv[i], "--kernel") == 0) opt.kernel = argv[i + 1];
		else if (strcmp(argv[i], "--bin") == 0) opt.bin = argv[i + 1];
		else if (strcmp(argv[i], "--out") == 0) opt.out = argv[i + 1];
		else die("runner: unknown option %s", argv[i]);
	}
	if (!opt.qemu || !opt.icount || !opt.mkiso || !opt.kernel || !opt.bin || !opt.out || i >= argc)
		die("usage: runner --qemu CMD --icount FLAGS --mkiso SCRIPT --kernel ELF --bin DIR --out DIR SCENARIO...");
	mkdir(opt.out, 0777);
	scs = calloc((size_t)(argc - i), sizeof(*scs));
	tests = calloc((size_t)(argc - i), sizeof(*tests));
	for (; i < argc; i++, n++) {
		scenario_read(&scs[n], argv[i]);
		tests[n].name = scs[n].name;
		tests[n].test_func = scenario_test;
		tests[n].initial_state = &scs[n];
	}
	_cmocka_run_group_tests("scenarios", tests, (size_t)n, NULL, NULL);
	printf("%d passed, %d failed\n", npassed, nfailed);
	return nfailed ? 1 : 0;
}
