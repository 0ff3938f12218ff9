/*
 * ttydrive: types a busybox shell script into an interactive busybox shell over a
 * terminal, line by line, and collects what each line prints; then compares the whole
 * with the script's expected output (tests/linux/run-native.sh's). The terminal is
 * either the guest's serial port, reached through QEMU's `-chardev pipe` pair of FIFOs
 * (--fifo PATH: writes PATH.in, reads PATH.out), or, to check the harness itself on the
 * build machine, a pseudo-terminal with busybox's shell on it (--native BUSYBOX).
 *
 * usage: ttydrive (--fifo PATH | --native BUSYBOX) [--dir BASE] [--start-timeout S]
 *                 [--timeout S] [--raw FILE] SCRIPT EXPECTED GOT [SCRIPT EXPECTED GOT]...
 * (--raw FILE: a copy of every byte read from the terminal, for debugging.)
 *
 * The conversation (docs/testing.md, "The shell over a serial line"):
 *  1. Wait for the shell's first output (its prompt; up to --start-timeout, default
 *     300 s, while the system boots: bytes typed before the guest opens its serial port
 *     are lost) and half a second of quiet; then type `stty -echo; echo @@RE''ADY@@`
 *     every 5 s until @@READY@@ comes. With echo off, busybox's line editor reads plain
 *     lines and echoes nothing.
 * For each SCRIPT, in order:
 *  2. `exec BUSYBOX env -i PATH=... HOME=/root LC_ALL=C TERM=dumb BUSYBOX sh`: a
 *     fresh shell with exactly run-native.sh's variables; then `PS2=@@P2@@;
 *     PS1=@@P1@@` (not exported, so `env` does not show them); wait for @@P1@@.
 *  3. `umask 022; mkdir -p BASE/NAME/work && cd BASE/NAME/work; unset OLDPWD` (BASE
 *     default /tmp/tty, NAME the script's name without .sh; the last component is
 *     "work", as run-native.sh's scratch folder); wait for @@P1@@.
 *  4. Each line of SCRIPT: type it, then collect every byte up to the next prompt marker
 *     (@@P1@@, or @@P2@@ inside a multi-line construct) as that line's output, CR LF
 *     turned into LF (the terminal's ONLCR). Written to GOT. Waits --timeout (default
 *     60) seconds per line.
 *  5. GOT must equal EXPECTED (a diff is printed otherwise).
 * Then `exit`. Exit status: 0 when every script went through and matched, 1 otherwise
 * (the reasons on stderr).
 * A script typed this way must not read its standard input (the terminal): the line
 * would wait for a prompt that never comes (tests/linux/README.md).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BUF_MAX		(4 << 20)

static int rfd = -1, wfd = -1;		/* the terminal: read from, write to */
static pid_t child;			/* --native: the shell */
static char bindir[512];		/* --native: PATH's folder, removed at the end */
static FILE *raw;			/* --raw: every byte read, as read */
static char *buf;			/* bytes read and not yet consumed */
static size_t len;

static void remove_bindir(void)
{
	char link[600];

	if (!bindir[0])
		return;
	snprintf(link, sizeof(link), "%s/busybox", bindir);
	unlink(link);
	rmdir(bindir);
}

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "ttydrive: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (child > 0)
		kill(child, SIGKILL);
	remove_bindir();
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void type(const char *s)
{
	size_t n = strlen(s);

	while (n) {
		ssize_t w = write(wfd, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			die("writing to the terminal: %s", strerror(errno));
		s += w;
		n -= (size_t)w;
	}
}

/* Where in buf the first of the markers starts; *which says which one. -1 if none. */
static long find_marker(const char *const *markers, int n, int *which)
{
	long best = -1;

	for (int m = 0; m < n; m++) {
		size_t ml = strlen(markers[m]);

		for (size_t i = 0; i + ml <= len; i++)
			if (memcmp(buf + i, markers[m], ml) == 0) {
				if (best < 0 || (long)i < best) {
					best = (long)i;
					*which = m;
				}
				break;
			}
	}
	return best;
}

/*
 * Reads until one of the markers arrives. The bytes before it go to `out` (CR LF as LF)
 * unless out is NULL; the marker is consumed. Returns the marker's index.
 */
static int wait_marker(const char *const *markers, int n, double timeout, FILE *out,
		       const char *what)
{
	double end = now() + timeout;
	int which = 0;
	long at;

	while ((at = find_marker(markers, n, &which)) < 0) {
		struct pollfd p = { .fd = rfd, .events = POLLIN };
		double left = end - now();
		ssize_t r;

		if (left <= 0) {
			fprintf(stderr, "ttydrive: no prompt after %.0f s while %s; the last bytes:\n",
				timeout, what);
			fwrite(buf + (len > 400 ? len - 400 : 0), 1, len > 400 ? 400 : len, stderr);
			fputc('\n', stderr);
			die("timed out");
		}
		if (poll(&p, 1, (int)(left * 1000) + 1) <= 0)
			continue;
		if (len == BUF_MAX)
			die("more than %d bytes without a prompt while %s", BUF_MAX, what);
		r = read(rfd, buf + len, BUF_MAX - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			die("the terminal closed while %s (%s)", what, r ? strerror(errno) : "end of file");
		if (raw) {
			fwrite(buf + len, 1, (size_t)r, raw);
			fflush(raw);
		}
		len += (size_t)r;
	}
	if (out) {
		for (long i = 0; i < at; i++)
			if (!(buf[i] == '\r' && i + 1 < at && buf[i + 1] == '\n'))
				fputc(buf[i], out);
	}
	size_t used = (size_t)at + strlen(markers[which]);
	memmove(buf, buf + used, len - used);
	len -= used;
	return which;
}

/* Reads what is there within `timeout` s; 1 if something came, 0 at the timeout or
   end of file. */
static int read_some(double timeout)
{
	struct pollfd p = { .fd = rfd, .events = POLLIN };
	ssize_t r;

	if (poll(&p, 1, (int)(timeout * 1000)) <= 0 || len == BUF_MAX)
		return 0;
	r = read(rfd, buf + len, BUF_MAX - len);
	if (r <= 0)
		return 0;
	if (raw) {
		fwrite(buf + len, 1, (size_t)r, raw);
		fflush(raw);
	}
	len += (size_t)r;
	return 1;
}

/* Waits up to `timeout` s for output, then until none came for `quiet` s. */
static int wait_output(double timeout, double quiet)
{
	double end = now() + timeout;

	while (!len && now() < end)
		read_some(end - now());
	if (!len)
		return 0;
	while (read_some(quiet))
		;
	return 1;
}

/* Is `marker` in what arrives within `timeout` s? (It is left in buf.) */
static int try_marker(const char *marker, double timeout)
{
	const char *const m[] = { marker };
	double end = now() + timeout;
	int which;

	while (find_marker(m, 1, &which) < 0) {
		if (now() >= end)
			return 0;
		read_some(end - now());
	}
	return 1;
}

/* --native: busybox's shell on a new pseudo-terminal, with a clean environment. */
static void start_native(const char *busybox)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY);
	char *slave;

	if (master < 0 || grantpt(master) || unlockpt(master) || !(slave = ptsname(master)))
		die("cannot make a pseudo-terminal: %s", strerror(errno));
	child = fork();
	if (child < 0)
		die("fork: %s", strerror(errno));
	if (child == 0) {
		int fd;

		setsid();
		fd = open(slave, O_RDWR);
		if (fd < 0 || ioctl(fd, TIOCSCTTY, 0) < 0)
			_exit(126);
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
		close(master);
		signal(SIGPIPE, SIG_DFL);	/* ignored here; an exec would keep that */
		execle(busybox, "sh", (char *)NULL, (char *[]){ "TERM=dumb", NULL });
		_exit(127);
	}
	rfd = wfd = master;
}

/* Steps 2 to 5 for one script: 0 if its output equals the expected one. */
static int drive(const char *script_path, const char *expected, const char *got_path,
		 const char *busybox, const char *path, const char *base, double timeout)
{
	const char *const p12[] = { "@@P1@@", "@@P2@@" };
	const char *slash = strrchr(script_path, '/');
	char line[4096], cmd[8192], name[128];
	FILE *script, *got;
	int lineno = 0;

	snprintf(name, sizeof(name), "%.*s", (int)strcspn(slash ? slash + 1 : script_path, "."),
		 slash ? slash + 1 : script_path);
	script = fopen(script_path, "r");
	if (!script)
		die("%s: %s", script_path, strerror(errno));
	got = fopen(got_path, "w");
	if (!got)
		die("%s: %s", got_path, strerror(errno));
	/* The prompts are set apart, as unexported variables: `env` must not list them. */
	snprintf(cmd, sizeof(cmd), "exec %s env -i PATH=%s HOME=/root LC_ALL=C TERM=dumb %s sh\n"
		 "PS2=@@P2@@; PS1=@@P1@@\n", busybox, path, busybox);
	type(cmd);
	wait_marker(p12, 1, timeout, NULL, "starting a clean shell");
	/* cd sets OLDPWD, which the native run (started in its folder) does not have. */
	snprintf(cmd, sizeof(cmd), "umask 022; mkdir -p %s/%s/work && cd %s/%s/work; unset OLDPWD\n",
		 base, name, base, name);
	type(cmd);
	wait_marker(p12, 1, timeout, NULL, "making the scratch folder");
	while (fgets(line, sizeof(line), script)) {
		char what[160];

		lineno++;
		if (!strchr(line, '\n'))
			strcat(line, "\n");
		type(line);
		snprintf(what, sizeof(what), "running line %d of %s", lineno, script_path);
		wait_marker(p12, 2, timeout, got, what);
	}
	fclose(got);
	fclose(script);
	snprintf(cmd, sizeof(cmd), "cmp -s '%s' '%s'", expected, got_path);
	if (system(cmd) != 0) {
		fprintf(stderr, "ttydrive: %s: %s differs from %s:\n", name, got_path, expected);
		snprintf(cmd, sizeof(cmd), "diff '%s' '%s' | sed 's/^/    /' >&2", expected, got_path);
		if (system(cmd) < 0)
			perror("diff");
		return 1;
	}
	fprintf(stderr, "ttydrive: %s: %d lines typed; the output equals %s\n", name, lineno, expected);
	return 0;
}

int main(int argc, char **argv)
{
	const char *fifo = NULL, *native = NULL, *base = "/tmp/tty";
	const char *busybox = "/bin/busybox", *path = "/bin";
	double start_timeout = 300, timeout = 60;
	const char *const ready[] = { "@@READY@@" };
	char cmd[8192];
	int i, failed = 0;

	for (i = 1; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
		if (!strcmp(argv[i], "--fifo")) fifo = argv[i + 1];
		else if (!strcmp(argv[i], "--native")) native = argv[i + 1];
		else if (!strcmp(argv[i], "--dir")) base = argv[i + 1];
		else if (!strcmp(argv[i], "--timeout")) timeout = atof(argv[i + 1]);
		else if (!strcmp(argv[i], "--start-timeout")) start_timeout = atof(argv[i + 1]);
		else if (!strcmp(argv[i], "--raw")) {
			if (!(raw = fopen(argv[i + 1], "w")))
				die("%s: %s", argv[i + 1], strerror(errno));
		}
		else die("unknown option %s", argv[i]);
	}
	if (argc - i < 3 || (argc - i) % 3 || !fifo == !native)
		die("usage: ttydrive (--fifo PATH | --native BUSYBOX) [--dir BASE] [--timeout S] "
		    "[--start-timeout S] SCRIPT EXPECTED GOT [SCRIPT EXPECTED GOT]...");
	buf = malloc(BUF_MAX);
	if (!buf)
		die("out of memory");
	signal(SIGPIPE, SIG_IGN);

	if (native) {
		/* As run-native.sh: PATH is a folder holding only a link to busybox. */
		char *real = realpath(native, NULL);
		char tmpl[] = "/tmp/ttydrive-bin.XXXXXX";

		if (!real || !mkdtemp(tmpl))
			die("%s: %s", native, strerror(errno));
		snprintf(bindir, sizeof(bindir), "%s", tmpl);
		snprintf(cmd, sizeof(cmd), "%s/busybox", bindir);
		if (symlink(real, cmd) < 0)
			die("symlink %s: %s", cmd, strerror(errno));
		busybox = real;
		path = bindir;
		start_native(real);
	} else {
		snprintf(cmd, sizeof(cmd), "%s.in", fifo);
		wfd = open(cmd, O_WRONLY);
		if (wfd < 0)
			die("%s: %s", cmd, strerror(errno));
		snprintf(cmd, sizeof(cmd), "%s.out", fifo);
		rfd = open(cmd, O_RDONLY);
		if (rfd < 0)
			die("%s: %s", cmd, strerror(errno));
	}

	/*
	 * Bytes typed before the guest's driver opens the port are lost (a UART's receive
	 * FIFO is cleared when the port starts), so first wait for the shell to print
	 * something (its prompt), and a quiet half second; then type until READY comes.
	 */
	if (!wait_output(start_timeout, 0.5))
		die("the shell printed nothing in %.0f s", start_timeout);
	double give_up = now() + start_timeout;
	do
		type("stty -echo; echo @@RE''ADY@@\n");
	while (!try_marker(ready[0], 5) && now() < give_up);
	wait_marker(ready, 1, 1, NULL, "waiting for the first shell");
	for (; i < argc; i += 3)
		failed |= drive(argv[i], argv[i + 1], argv[i + 2], busybox, path, base, timeout);
	type("exit\n");
	if (native) {
		int status;

		/* The shell ends on exit; a moment's grace, then it is stopped. */
		for (int t = 0; t < 50 && waitpid(child, &status, WNOHANG) == 0; t++)
			usleep(100 * 1000);
		kill(child, SIGKILL);
		waitpid(child, &status, 0);
		remove_bindir();
	}
	return failed;
}
