/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <system_error>

namespace plinth {

namespace {

[[noreturn]] void throwErrno(const std::string &what)
{
	throw std::system_error(errno, std::generic_category(), what);
}

/* Closes the descriptor and removes the temporary file unless the write went through. */
class TemporaryFile
{
public:
	explicit TemporaryFile(std::filesystem::path path) : path_(std::move(path))
	{
		fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd_ < 0)
			throwErrno("cannot create " + path_.string());
	}
	~TemporaryFile()
	{
		if (fd_ >= 0)
			::close(fd_);
		if (!committed_)
			::unlink(path_.c_str());
	}
	TemporaryFile(const TemporaryFile &) = delete;
	TemporaryFile &operator=(const TemporaryFile &) = delete;

	void writeAll(std::string_view data)
	{
		while (!data.empty()) {
			const ssize_t n = ::write(fd_, data.data(), data.size());
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				throwErrno("cannot write " + path_.string());
			data.remove_prefix(static_cast<std::size_t>(n));
		}
	}

	void commitAs(const std::filesystem::path &target)
	{
		if (::fsync(fd_) < 0)
			throwErrno("cannot sync " + path_.string());
		if (::close(fd_) < 0) {
			fd_ = -1;
			throwErrno("cannot close " + path_.string());
		}
		fd_ = -1;
		if (::rename(path_.c_str(), target.c_str()) < 0)
			throwErrno("cannot replace " + target.string());
		committed_ = true;
	}

private:
	std::filesystem::path path_;
	int fd_ = -1;
	bool committed_ = false;
};

void syncDirectory(const std::filesystem::path &dir)
{
	/* Makes the rename itself durable; failing here loses nothing already written. */
	const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	::fsync(fd);
	::close(fd);
}

} /* namespace */

void replaceFileAtomically(const std::filesystem::path &file, std::string_view text)
{
	TemporaryFile tmp(file.string() + ".tmp");
	tmp.writeAll(text);
	tmp.commitAs(file);
	syncDirectory(file.parent_path());
}

} /* namespace plinth */
