#ifndef BATON_CNCURSESW_SHIM_H
#define BATON_CNCURSESW_SHIM_H

// SwiftPM drops pkg-config's -D flags, so the wide-character API is switched on here.
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// Attribute macros do not import into Swift; these wrappers do.
static inline attr_t baton_a_bold(void) { return A_BOLD; }
static inline attr_t baton_a_dim(void) { return A_DIM; }
static inline attr_t baton_a_underline(void) { return A_UNDERLINE; }
static inline attr_t baton_a_reverse(void) { return A_REVERSE; }
static inline attr_t baton_a_italic(void) { return A_ITALIC; }
static inline attr_t baton_a_blink(void) { return A_BLINK; }
static inline attr_t baton_a_normal(void) { return A_NORMAL; }

// wcwidth is hidden from Swift's Glibc module.
int wcwidth(wchar_t c);

#endif
