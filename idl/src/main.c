/* mig: command line (compatible with GNU MIG's), the C preprocessor run,
   and the choice of outputs.  Start reading here. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"
#include "emit.h"
#include "parse.h"

#define MAX_CPP_ARGS 512

static const char *cpp_argv[MAX_CPP_ARGS];
static int cpp_argc;

static void cpp_arg(const char *a)
{
	if (cpp_argc >= MAX_CPP_ARGS - 2) {
		fputs("mig: too many preprocessor arguments\n", stderr);
		exit(2);
	}
	cpp_argv[cpp_argc++] = a;
}

static void usage(void)
{
	fputs("usage: mig [-user FILE] [-server FILE] [-header FILE] [-sheader FILE]\n"
	      "           [-iheader FILE] [-prefix P] [-subrprefix P] [-list] [-n] [-q|-Q] [-v|-V]\n"
	      "           [-cc CPP] [-Dname[=v]] [-Uname] [-Idir] [-isystem dir] [file.defs]\n", stderr);
	exit(2);
}

/* Run cpp on the input and return its output as a stream. */
static FILE *run_cpp(const char *cc, const char *input, pid_t *pid)
{
	int fd[2];
	int i, n = 0;
	const char *argv[MAX_CPP_ARGS + 16];

	argv[n++] = cc;
	argv[n++] = "-undef";
	argv[n++] = "-D__x86_64__";
	argv[n++] = "-D__x86_64";
	argv[n++] = "-D__LP64__";
	argv[n++] = "-D_LP64";
	argv[n++] = "-x";
	argv[n++] = "c";
	for (i = 0; i < cpp_argc; i++)
		argv[n++] = cpp_argv[i];
	argv[n++] = input ? input : "-";
	argv[n] = NULL;
	if (pipe(fd) < 0 || (*pid = fork()) < 0) {
		perror("mig: cannot run the preprocessor");
		exit(2);
	}
	if (*pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		execvp(cc, (char *const *)argv);
		fprintf(stderr, "mig: cannot run `%s': %s\n", cc, strerror(errno));
		_exit(127);
	}
	close(fd[1]);
	return fdopen(fd[0], "r");
}

static int write_output(const char *path, int (*emit)(FILE *, const struct subsystem *,
						    const struct options *), const struct options *o)
{
	FILE *f;
	int rc;

	if (!path)
		return 0;
	f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "mig: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	rc = emit(f, &the_subsystem, o);
	if (fclose(f) != 0 || rc != 0) {
		fprintf(stderr, "mig: error writing %s\n", path);
		return -1;
	}
	return 0;
}

static void print_range(unsigned long lo, unsigned long hi)
{
	if (lo == hi)
		printf("\t%lu", lo);
	else
		printf("\t%lu-%lu", lo, hi);
}

/* -list: one line per message id with the message sizes (smallest with
   every variable array empty, largest with them full in line). */
static void list_routines(void)
{
	const struct routine *r;

	for (r = the_subsystem.routines; r; r = r->next) {
		printf("%s\t%ld\t%s\t%s", the_subsystem.name, the_subsystem.base + r->number,
		       r->name ? r->name : "-", !r->name ? "skip" : r->simple ? "simpleroutine" : "routine");
		if (!r->name) {
			printf("\t-\t-\n");
			continue;
		}
		print_range(request_min_size(r), request_max_size(r));
		if (r->simple)
			printf("\t-");
		else
			print_range(reply_min_size(r), reply_max_size(r) - reply_gnu_padding(r));
		printf("\n");
	}
}

static const char *basename_of(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	const char *input = NULL, *cc = "cpp";
	bool no_output = false, list = false, user_set = false, server_set = false, header_set = false;
	int i, status, errors, rc = 0;
	pid_t pid;
	FILE *in;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
#define NEXT() (i + 1 < argc ? argv[++i] : (usage(), ""))
		if (!strcmp(a, "-user")) { o.user_file = NEXT(); user_set = true; }
		else if (!strcmp(a, "-server")) { o.server_file = NEXT(); server_set = true; }
		else if (!strcmp(a, "-header")) { o.header_file = NEXT(); header_set = true; }
		else if (!strcmp(a, "-sheader")) o.sheader_file = NEXT();
		else if (!strcmp(a, "-iheader")) o.iheader_file = NEXT();
		else if (!strcmp(a, "-prefix")) o.prefix = NEXT();
		else if (!strcmp(a, "-subrprefix")) o.subrprefix = NEXT();
		else if (!strcmp(a, "-cc")) cc = NEXT();
		else if (!strcmp(a, "-list")) list = true;
		else if (!strcmp(a, "-n")) no_output = true;
		else if (!strcmp(a, "-q")) diag_quiet_warnings = true;
		else if (!strcmp(a, "-Q")) diag_quiet_warnings = false;
		else if (!strcmp(a, "-v") || !strcmp(a, "-V")) ;
		else if (!strcmp(a, "-isystem") || !strcmp(a, "-include") || !strcmp(a, "-imacros")) {
			cpp_arg(a);
			cpp_arg(NEXT());
		} else if (!strncmp(a, "-D", 2) || !strncmp(a, "-U", 2) || !strncmp(a, "-I", 2)) {
			cpp_arg(a);
			if (!a[2])
				cpp_arg(NEXT());
		} else if (!strcmp(a, "-undef") || !strcmp(a, "-nostdinc")) cpp_arg(a);
		else if (!strcmp(a, "-") || a[0] != '-') {
			if (input)
				usage();
			input = strcmp(a, "-") ? a : NULL;
		} else {
			fprintf(stderr, "mig: unknown option `%s'\n", a);
			usage();
		}
	}
	in = run_cpp(cc, input, &pid);
	errors = parse_file(in, input ? input : "<stdin>");
	fclose(in);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "mig: the preprocessor failed on %s\n", input ? input : "<stdin>");
		return 1;
	}
	if (errors)
		return 1;
	if (list)
		list_routines();
	if (no_output || list)
		return 0;
	emit_set_options(&o);
	if (!user_set)
		o.user_file = xasprintf("%sUser.c", the_subsystem.name);
	if (!server_set)
		o.server_file = xasprintf("%sServer.c", the_subsystem.name);
	if (!header_set)
		o.header_file = xasprintf("%s.h", the_subsystem.name);
	{
		struct options uo = o;

		uo.header_file = o.header_file ? basename_of(o.header_file) : NULL;
		if (o.header_file && !strcmp(o.header_file, "/dev/null"))
			uo.header_file = NULL;
		rc |= write_output(o.user_file, emit_user, &uo);
	}
	rc |= write_output(o.server_file, emit_server, &o);
	rc |= write_output(o.header_file, emit_header, &o);
	rc |= write_output(o.sheader_file, emit_server_header, &o);
	rc |= write_output(o.iheader_file, emit_server_header, &o);
	return rc ? 1 : 0;
}
