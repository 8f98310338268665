/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "translator.h"

#include <libintl.h>
#include <locale.h>
#include <spdlog/spdlog.h>

#include <cstdlib>

#include "config.h"

namespace plinth {

namespace {

const char *nonEmptyVariable(const char *name)
{
	const char *value = std::getenv(name);
	return value && *value ? value : nullptr;
}

/* What setlocale(LC_MESSAGES, "") would pick, without changing the process's locale. */
std::string environmentLocale()
{
	for (const char *name : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
		if (const char *value = nonEmptyVariable(name))
			return value;
	}
	return "C";
}

bool isUntranslated(const std::string &locale)
{
	return locale == "C" || locale == "POSIX" || locale.starts_with("C.");
}

/* The locale's LC_MESSAGES, with the catalogues bound; null when messages stay English. */
locale_t openMessages(const std::string &name)
{
	if (isUntranslated(name))
		return nullptr;

	const locale_t locale = newlocale(LC_MESSAGES_MASK, name.c_str(), nullptr);
	if (!locale) {
		spdlog::warn("locale {} is not available on this system (generate it with "
			     "locale-gen); diagnostic messages stay in English",
			     name);
		return nullptr;
	}

	/*
	 * Process-wide, but every Translator binds the same domain to the same directory.
	 * UTF-8 whatever LC_CTYPE says: the messages go on D-Bus, whose strings are UTF-8.
	 */
	const char *directory = nonEmptyVariable("PLINTH_LOCALEDIR");
	bindtextdomain(PLINTH_GETTEXT_PACKAGE, directory ? directory : PLINTH_LOCALEDIR);
	bind_textdomain_codeset(PLINTH_GETTEXT_PACKAGE, "UTF-8");
	return locale;
}

} /* namespace */

class Translator::Private
{
public:
	explicit Private(const std::string &name)
		: locale_(openMessages(name)), name_(locale_ ? name : std::string("C"))
	{
	}
	~Private()
	{
		if (locale_)
			freelocale(locale_);
	}

	Private(const Private &) = delete;
	Private &operator=(const Private &) = delete;

	/* Null: no translation. */
	const locale_t locale_;
	const std::string name_;
};

Translator::Translator() : d_(std::make_unique<Private>("C"))
{
}

Translator::Translator(const std::string &locale)
	: d_(std::make_unique<Private>(locale.empty() ? environmentLocale() : locale))
{
}

Translator::~Translator() = default;

const std::string &Translator::locale() const
{
	return d_->name_;
}

std::string Translator::translate(std::string_view msgid) const
{
	if (!d_->locale_)
		return std::string(msgid);

	/* gettext reads the calling thread's locale; uselocale changes only that one. */
	const std::string id(msgid);
	const locale_t previous = uselocale(d_->locale_);
	std::string text = dgettext(PLINTH_GETTEXT_PACKAGE, id.c_str());
	uselocale(previous);
	return text;
}

std::string Translator::message(std::string_view description,
				const CheckParameters &parameters) const
{
	return formatDescription(translate(description), parameters);
}

} /* namespace plinth */
