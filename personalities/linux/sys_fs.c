/*
 * Linux file system calls on descriptors: read and write in all their forms, close,
 * dup, fcntl, pipes, lseek, ioctl's generic requests and sendfile. Data moves between
 * the guest and the core through lx_bounce, one chunk at a time; a call that would
 * block parks (lx_io_block) only while it has transferred nothing.
 */
#include <string.h>
#include "lxfs.h"

/* Regular files are read and written in a loop of chunks; anything else (a pipe, a
   terminal, a device) gets one chunk per call, as a short count the guest repeats. */
static bool chunked(struct file *f)
{
	return f->kind == FILE_VNODE && f->vp->attr.type == VREG && !f->cdev;
}

/* One read into a server buffer: a count, -LINUX_E*, or LX_BLOCK (from a terminal). */
static long read_once(struct lx_thread *t, struct file *f, void *buf, size_t n, int64_t off)
{
	if (lx_file_tty(f))
		return lx_tty_read(t, f, buf, n);
	return lx_err(off < 0 ? file_read(f, buf, n) : file_pread(f, buf, n, (uint64_t)off));
}

static long write_once(struct lx_thread *t, struct file *f, const void *buf, size_t n,
		       int64_t off)
{
	long r;

	if (lx_file_tty(f))
		return lx_tty_write(t, f, buf, n);
	r = lx_err(off < 0 ? file_write(f, buf, n) : file_pwrite(f, buf, n, (uint64_t)off));
	if (r == -LINUX_EPIPE)
		lx_signal_thread(t, LINUX_SIGPIPE, NULL);
	return r;
}

/* What a transfer that got r after done bytes returns: blocking happens only at 0. */
static long io_result(struct lx_thread *t, struct file *f, long r, size_t done)
{
	if (done > 0)
		return (long)done;
	if (r == -LINUX_EAGAIN && !(f->flags & UO_NONBLOCK) && !lx_file_tty(f))
		return lx_io_block(t);
	return r;
}

/*
 * Reads up to n bytes into the guest at uaddr (off < 0: at the description's offset).
 * A failed copy-out gives a regular file its offset back and a pipe its bytes, as
 * Linux leaves them where they were (it copies straight from the pipe's pages).
 */
static long do_read(struct lx_thread *t, struct file *f, uint64_t uaddr, size_t n, int64_t off)
{
	size_t done = 0;
	long r = 0;

	if ((int64_t)n < 0)
		return -LINUX_EINVAL;
	if (n > LX_MAX_RW)
		n = LX_MAX_RW;
	while (done < n) {
		size_t chunk = n - done < LX_BOUNCE_SIZE ? n - done : LX_BOUNCE_SIZE;

		r = read_once(t, f, lx_bounce, chunk, off < 0 ? -1 : off + (int64_t)done);
		if (r <= 0 || r == LX_BLOCK)
			break;
		if (lx_copyout(t->proc, uaddr + done, lx_bounce, (size_t)r) < 0) {
			struct pipe *pp = file_pipe_of(f);

			if (off < 0 && chunked(f))
				f->offset -= (uint64_t)r;
			else if (pp)
				pipe_unread(pp, lx_bounce, (size_t)r);
			r = -LINUX_EFAULT;
			break;
		}
		done += (size_t)r;
		if ((size_t)r < chunk || !chunked(f))
			break;
	}
	return io_result(t, f, r, done);
}

static long do_write(struct lx_thread *t, struct file *f, uint64_t uaddr, size_t n,
		     int64_t off)
{
	size_t done = 0;
	long r = 0;

	if ((int64_t)n < 0)
		return -LINUX_EINVAL;
	if (n > LX_MAX_RW)
		n = LX_MAX_RW;
	while (done < n) {
		size_t chunk = n - done < LX_BOUNCE_SIZE ? n - done : LX_BOUNCE_SIZE;

		if (lx_copyin(t->proc, uaddr + done, lx_bounce, chunk) < 0) {
			r = -LINUX_EFAULT;
			break;
		}
		r = write_once(t, f, lx_bounce, chunk, off < 0 ? -1 : off + (int64_t)done);
		if (r <= 0 || r == LX_BLOCK)
			break;
		done += (size_t)r;
		if ((size_t)r < chunk || !chunked(f))
			break;
	}
	return io_result(t, f, r, done);
}

LX_SYSCALL(read)
{
	struct file *f;
	long r = lx_fd_get(t, (int)a[0], &f);

	if (r < 0)
		return r;
	r = do_read(t, f, a[1], a[2], -1);
	file_rele(f);
	return r;
}

LX_SYSCALL(write)
{
	struct file *f;
	long r = lx_fd_get(t, (int)a[0], &f);

	if (r < 0)
		return r;
	r = do_write(t, f, a[1], a[2], -1);
	file_rele(f);
	return r;
}

static long positional(struct lx_thread *t, const uint64_t a[6], bool wr)
{
	struct file *f;
	long r = lx_fd_get(t, (int)a[0], &f);

	if (r < 0)
		return r;
	if ((int64_t)a[3] < 0)
		r = -LINUX_EINVAL;
	else if (f->kind != FILE_VNODE || f->pipe || lx_file_tty(f))
		r = -LINUX_ESPIPE;
	else if (wr)
		r = do_write(t, f, a[1], a[2], (int64_t)a[3]);
	else
		r = do_read(t, f, a[1], a[2], (int64_t)a[3]);
	file_rele(f);
	return r;
}

LX_SYSCALL(pread64)
{
	return positional(t, a, false);
}

LX_SYSCALL(pwrite64)
{
	return positional(t, a, true);
}

static struct linux_iovec iovs[LX_IOV_MAX];

/* The vector in, checked as Linux checks it before anything moves: the total, or -errno. */
static long iov_in(struct lx_thread *t, uint64_t uiov, uint64_t cnt)
{
	uint64_t total = 0;

	if (cnt > LX_IOV_MAX)
		return -LINUX_EINVAL;
	if (lx_copyin(t->proc, uiov, iovs, (size_t)cnt * sizeof(iovs[0])) < 0)
		return -LINUX_EFAULT;
	for (uint64_t i = 0; i < cnt; i++) {
		if (iovs[i].len > INT64_MAX || total + iovs[i].len > INT64_MAX)
			return -LINUX_EINVAL;
		total += iovs[i].len;
	}
	return (long)(total > LX_MAX_RW ? LX_MAX_RW : total);
}

/*
 * A pipe, terminal or device gets one transfer through lx_bounce, gathered from or
 * scattered to the elements: a writev of at most PIPE_BUF bytes then stays atomic,
 * and a call that parks has moved nothing.
 */
static long vectored_once(struct lx_thread *t, struct file *f, uint64_t cnt, size_t total,
			  bool wr)
{
	size_t n = total < LX_BOUNCE_SIZE ? total : LX_BOUNCE_SIZE, pos = 0;
	long r;

	for (uint64_t i = 0; wr && i < cnt && pos < n; i++) {
		size_t k = iovs[i].len < n - pos ? (size_t)iovs[i].len : n - pos;

		if (lx_copyin(t->proc, iovs[i].base, lx_bounce + pos, k) < 0) {
			if (pos == 0)
				return -LINUX_EFAULT;
			n = pos;	/* write what came in, as Linux does up to a fault */
			break;
		}
		pos += k;
	}
	r = wr ? write_once(t, f, lx_bounce, n, -1) : read_once(t, f, lx_bounce, n, -1);
	if (r > 0 && !wr) {
		for (uint64_t i = 0; i < cnt && pos < (size_t)r; i++) {
			size_t k = iovs[i].len < (size_t)r - pos ? (size_t)iovs[i].len
								 : (size_t)r - pos;

			if (lx_copyout(t->proc, iovs[i].base, lx_bounce + pos, k) < 0)
				return pos ? (long)pos : -LINUX_EFAULT;
			pos += k;
		}
	}
	return io_result(t, f, r, 0);
}

/* readv, writev, preadv, pwritev (off < 0: at the description's offset). */
static long vectored(struct lx_thread *t, int fd, uint64_t uiov, uint64_t cnt, int64_t off,
		     bool wr)
{
	struct file *f;
	size_t done = 0;
	long total, r;

	if ((r = lx_fd_get(t, fd, &f)) < 0)
		return r;
	if ((total = iov_in(t, uiov, cnt)) < 0) {
		file_rele(f);
		return total;
	}
	if (off >= 0 && (f->kind != FILE_VNODE || f->pipe || lx_file_tty(f))) {
		r = -LINUX_ESPIPE;
	} else if (!chunked(f)) {
		r = vectored_once(t, f, cnt, (size_t)total, wr);
	} else {
		/* A regular file never blocks: element after element until one falls short. */
		r = 0;
		for (uint64_t i = 0; i < cnt && done < (size_t)total; i++) {
			size_t len = iovs[i].len < (size_t)total - done ? (size_t)iovs[i].len
									: (size_t)total - done;
			int64_t at = off < 0 ? -1 : off + (int64_t)done;

			if (len == 0)
				continue;
			r = wr ? do_write(t, f, iovs[i].base, len, at) :
				 do_read(t, f, iovs[i].base, len, at);
			if (r <= 0)
				break;
			done += (size_t)r;
			if ((size_t)r < len)
				break;
		}
		if (done > 0)
			r = (long)done;
	}
	file_rele(f);
	return r;
}

LX_SYSCALL(readv)
{
	return vectored(t, (int)a[0], a[1], a[2], -1, false);
}

LX_SYSCALL(writev)
{
	return vectored(t, (int)a[0], a[1], a[2], -1, true);
}

LX_SYSCALL(preadv)
{
	if ((int64_t)a[3] < 0)
		return -LINUX_EINVAL;
	return vectored(t, (int)a[0], a[1], a[2], (int64_t)a[3], false);
}

LX_SYSCALL(pwritev)
{
	if ((int64_t)a[3] < 0)
		return -LINUX_EINVAL;
	return vectored(t, (int)a[0], a[1], a[2], (int64_t)a[3], true);
}

LX_SYSCALL(close)
{
	return lx_err(fdt_close(t->proc->fdt, (int)a[0]));
}

LX_SYSCALL(close_range)
{
	unsigned first = (unsigned)a[0], last = (unsigned)a[1];
	uint64_t flags = a[2];

	if (flags & ~(uint64_t)(LINUX_CLOSE_RANGE_UNSHARE | LINUX_CLOSE_RANGE_CLOEXEC))
		return -LINUX_EINVAL;
	if (first > last)
		return -LINUX_EINVAL;
	for (int fd = fdt_next(t->proc->fdt, (int)(first > INT32_MAX ? INT32_MAX : first));
	     fd >= 0 && (unsigned)fd <= last; fd = fdt_next(t->proc->fdt, fd + 1)) {
		if (flags & LINUX_CLOSE_RANGE_CLOEXEC)
			fdt_setfd(t->proc->fdt, fd, FDT_CLOEXEC);
		else
			fdt_close(t->proc->fdt, fd);
	}
	return 0;
}

LX_SYSCALL(dup)
{
	return lx_err(fdt_dup(t->proc->fdt, (int)a[0], 0, 0));
}

LX_SYSCALL(dup2)
{
	return lx_err(fdt_dup2(t->proc->fdt, (int)a[0], (int)a[1]));
}

LX_SYSCALL(dup3)
{
	if (a[2] & ~(uint64_t)LINUX_O_CLOEXEC)
		return -LINUX_EINVAL;
	return lx_err(fdt_dup3(t->proc->fdt, (int)a[0], (int)a[1],
			       (a[2] & LINUX_O_CLOEXEC) ? FDT_CLOEXEC : 0));
}

static long fcntl_file(struct lx_thread *t, struct file *f, int cmd, uint64_t arg)
{
	switch (cmd) {
	case LINUX_F_GETFL:
		return (long)lx_oflags_out(f);
	case LINUX_F_SETFL:
		file_setfl(f, lx_oflags_in(arg & (LINUX_O_APPEND | LINUX_O_NONBLOCK)));
		return 0;
	case LINUX_F_GETLK: {
		/* No locks are ever held: say the range is free (l_type = F_UNLCK). */
		int16_t unlck = LINUX_F_UNLCK;

		return lx_copyout(t->proc, arg, &unlck, sizeof(unlck));
	}
	case LINUX_F_SETLK:
	case LINUX_F_SETLKW:
	case LINUX_F_SETOWN:
		return 0;
	case LINUX_F_GETOWN:
		return 0;
	case LINUX_F_GETPIPE_SZ:
	case LINUX_F_SETPIPE_SZ:
		return file_pipe_of(f) ? U_PIPE_SIZE : -LINUX_EBADF;
	default:
		return -LINUX_EINVAL;
	}
}

LX_SYSCALL(fcntl)
{
	struct fdtable *fdt = t->proc->fdt;
	int fd = (int)a[0], cmd = (int)a[1];
	struct file *f;
	long r;

	switch (cmd) {
	case LINUX_F_DUPFD:
	case LINUX_F_DUPFD_CLOEXEC:
		if (a[2] >= (uint64_t)fdt->limit)
			return fdt_getfd(fdt, fd) < 0 ? -LINUX_EBADF : -LINUX_EINVAL;
		return lx_err(fdt_dup(fdt, fd, (int)a[2],
				      cmd == LINUX_F_DUPFD_CLOEXEC ? FDT_CLOEXEC : 0));
	case LINUX_F_GETFD:
		r = fdt_getfd(fdt, fd);
		return r < 0 ? lx_err(r) : (r & FDT_CLOEXEC) ? LINUX_FD_CLOEXEC : 0;
	case LINUX_F_SETFD:
		return lx_err(fdt_setfd(fdt, fd, (a[2] & LINUX_FD_CLOEXEC) ? FDT_CLOEXEC : 0));
	}
	if ((r = lx_fd_get(t, fd, &f)) < 0)
		return r;
	r = fcntl_file(t, f, cmd, a[2]);
	file_rele(f);
	return r;
}

LX_SYSCALL(flock)
{
	struct file *f;
	long r = lx_fd_get(t, (int)a[0], &f);

	if (r < 0)
		return r;
	file_rele(f);
	return 0;		/* one server, no contention worth modelling: always granted */
}

static long make_pipe(struct lx_thread *t, uint64_t ufds, uint64_t flags)
{
	struct fdtable *fdt = t->proc->fdt;
	unsigned fdflags = (flags & LINUX_O_CLOEXEC) ? FDT_CLOEXEC : 0;
	struct file *rd, *wr;
	int32_t fds[2];
	long r;

	if (flags & ~(uint64_t)(LINUX_O_CLOEXEC | LINUX_O_NONBLOCK | LINUX_O_DIRECT))
		return -LINUX_EINVAL;
	if ((r = file_pipe((flags & LINUX_O_NONBLOCK) ? UO_NONBLOCK : 0, &rd, &wr)) < 0)
		return lx_err(r);
	lx_pipe_watch(rd);
	fds[0] = fdt_install(fdt, rd, 0, fdflags);
	fds[1] = fds[0] < 0 ? fds[0] : fdt_install(fdt, wr, 0, fdflags);
	file_rele(rd);
	file_rele(wr);
	if (fds[1] < 0) {
		if (fds[0] >= 0)
			fdt_close(fdt, fds[0]);
		return lx_err(fds[1]);
	}
	if (lx_copyout(t->proc, ufds, fds, sizeof(fds)) < 0) {
		fdt_close(fdt, fds[0]);
		fdt_close(fdt, fds[1]);
		return -LINUX_EFAULT;
	}
	return 0;
}

LX_SYSCALL(pipe)
{
	return make_pipe(t, a[0], 0);
}

LX_SYSCALL(pipe2)
{
	return make_pipe(t, a[0], a[1]);
}

LX_SYSCALL(lseek)
{
	struct file *f;
	uint64_t pos = 0;
	int whence = (int)a[2];
	long r = lx_fd_get(t, (int)a[0], &f);

	if (r < 0)
		return r;
	if (f->kind != FILE_VNODE || f->pipe || lx_file_tty(f)) {
		r = -LINUX_ESPIPE;
	} else if (whence == LINUX_SEEK_DATA || whence == LINUX_SEEK_HOLE) {
		/* tmpfs keeps no map of holes worth exposing: all data, one hole at the end. */
		uint64_t size = f->vp->attr.size;

		if (f->vp->attr.type != VREG || (int64_t)a[1] < 0)
			r = -LINUX_EINVAL;
		else if (a[1] >= size)
			r = -LINUX_ENXIO;
		else
			r = lx_err(file_lseek(f, whence == LINUX_SEEK_DATA ? (int64_t)a[1] :
					      (int64_t)size, USEEK_SET, &pos));
	} else if (whence < LINUX_SEEK_SET || whence > LINUX_SEEK_END) {
		r = -LINUX_EINVAL;
	} else {
		r = lx_err(file_lseek(f, (int64_t)a[1], (enum useek)whence, &pos));
	}
	file_rele(f);
	return r < 0 ? r : (long)pos;
}

LX_SYSCALL(ioctl)
{
	struct file *f;
	unsigned cmd = (unsigned)a[1];
	int32_t v;
	long r = lx_fd_get(t, (int)a[0], &f);

	if (r < 0)
		return r;
	if (f->flags & UO_PATH) {
		file_rele(f);
		return -LINUX_EBADF;
	}
	switch (cmd) {
	case LINUX_FIOCLEX:
	case LINUX_FIONCLEX:
		r = lx_err(fdt_setfd(t->proc->fdt, (int)a[0], cmd == LINUX_FIOCLEX ? FDT_CLOEXEC : 0));
		break;
	case LINUX_FIONBIO:
	case LINUX_FIOASYNC:
		if ((r = lx_copyin(t->proc, a[2], &v, sizeof(v))) < 0)
			break;
		if (cmd == LINUX_FIONBIO)
			file_setfl(f, (f->flags & UO_SETFL_MASK & ~UO_NONBLOCK) |
				   (v ? UO_NONBLOCK : 0));
		r = 0;
		break;
	default:
		if (lx_file_tty(f)) {
			r = lx_tty_ioctl(t, f, cmd, a[2]);
		} else if (cmd == LINUX_FIONREAD && (file_pipe_of(f) || chunked(f))) {
			uint64_t n = file_pipe_of(f) ? file_pipe_of(f)->len :
				     f->vp->attr.size > f->offset ? f->vp->attr.size - f->offset : 0;

			v = n > INT32_MAX ? INT32_MAX : (int32_t)n;
			r = lx_copyout(t->proc, a[2], &v, sizeof(v));
		} else {
			r = -LINUX_ENOTTY;
		}
		break;
	}
	file_rele(f);
	return r;
}

/*
 * sendfile(out, in, off_t *offset, count): in must be a regular file (Linux's
 * requirement before 5.12; busybox falls back to read/write on EINVAL). Reads go
 * through pread at an explicit offset, so a call that parks has changed nothing.
 */
LX_SYSCALL(sendfile)
{
	struct file *out, *in;
	uint64_t uoff = a[2];
	size_t n = a[3] > LX_MAX_RW ? LX_MAX_RW : (size_t)a[3], done = 0;
	int64_t off;
	long r;

	if ((r = lx_fd_get(t, (int)a[0], &out)) < 0)
		return r;
	if ((r = lx_fd_get(t, (int)a[1], &in)) < 0) {
		file_rele(out);
		return r;
	}
	if (!chunked(in) || !(in->flags & UO_READ) || (in->flags & UO_PATH) ||
	    !(out->flags & UO_WRITE) || (out->flags & UO_APPEND)) {
		r = !(in->flags & UO_READ) || !(out->flags & UO_WRITE) ? -LINUX_EBADF
								     : -LINUX_EINVAL;
		goto out;
	}
	off = (int64_t)in->offset;
	if (uoff && (r = lx_copyin(t->proc, uoff, &off, sizeof(off))) < 0)
		goto out;
	if (off < 0) {
		r = -LINUX_EINVAL;
		goto out;
	}
	r = 0;
	while (done < n) {
		size_t chunk = n - done < LX_BOUNCE_SIZE ? n - done : LX_BOUNCE_SIZE;
		long got = lx_err(file_pread(in, lx_bounce, chunk, (uint64_t)off + done));

		if (got <= 0) {
			r = got;
			break;
		}
		r = write_once(t, out, lx_bounce, (size_t)got, -1);
		if (r <= 0 || r == LX_BLOCK)
			break;
		done += (size_t)r;
		if (r < got || !chunked(out))
			break;
	}
	r = io_result(t, out, r, done);
	if (r >= 0) {
		r = (long)done;
		if (uoff) {
			int64_t end = off + (int64_t)done;

			if (lx_copyout(t->proc, uoff, &end, sizeof(end)) < 0)
				r = -LINUX_EFAULT;
		} else {
			in->offset += done;
		}
	}
out:
	file_rele(in);
	file_rele(out);
	return r;
}

/* Everything lives in memory: there is nothing to flush. */
static long fd_noop(struct lx_thread *t, int fd)
{
	struct file *f;
	long r = lx_fd_get(t, fd, &f);

	if (r < 0)
		return r;
	file_rele(f);
	return 0;
}

LX_SYSCALL(fsync)
{
	return fd_noop(t, (int)a[0]);
}

LX_SYSCALL(fdatasync)
{
	return fd_noop(t, (int)a[0]);
}

LX_SYSCALL(sync)
{
	(void)t;
	(void)a;
	return 0;
}

LX_SYSCALL(fadvise64)
{
	struct file *f;
	long r = lx_fd_get(t, (int)a[0], &f);

	if (r < 0)
		return r;
	r = file_pipe_of(f) ? -LINUX_ESPIPE : (a[3] > 5 ? -LINUX_EINVAL : 0);
	file_rele(f);
	return r;
}
