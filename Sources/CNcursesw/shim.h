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

// KEY_F(n) is a function-like macro.
static inline int baton_key_f(int n) { return KEY_F(n); }

// The BUTTON* mouse masks are macros too.
// What the console asks for: presses and releases of buttons 1-3, the wheel (buttons 4 and 5,
// pressed), and the modifier keys; no REPORT_MOUSE_POSITION, so the terminal sends no motion.
static inline mmask_t baton_mouse_mask(void) {
    return BUTTON1_PRESSED | BUTTON1_RELEASED | BUTTON2_PRESSED | BUTTON2_RELEASED
        | BUTTON3_PRESSED | BUTTON3_RELEASED | BUTTON4_PRESSED | BUTTON5_PRESSED
        | BUTTON_SHIFT | BUTTON_CTRL | BUTTON_ALT;
}
static inline mmask_t baton_button_pressed(int button) { return NCURSES_MOUSE_MASK(button, NCURSES_BUTTON_PRESSED); }
static inline mmask_t baton_button_released(int button) { return NCURSES_MOUSE_MASK(button, NCURSES_BUTTON_RELEASED); }
static inline mmask_t baton_button_clicked(int button) { return NCURSES_MOUSE_MASK(button, NCURSES_BUTTON_CLICKED); }
static inline mmask_t baton_button_shift(void) { return BUTTON_SHIFT; }
static inline mmask_t baton_button_ctrl(void) { return BUTTON_CTRL; }
static inline mmask_t baton_button_alt(void) { return BUTTON_ALT; }

#if defined(__linux__)
#include <fcntl.h>
#include <unistd.h>
#include <sys/epoll.h>

// pipe2 and epoll are not in Swift's Glibc module.

// A pipe whose ends are close-on-exec and non-blocking; 0 on success, -1 with errno set.
static inline int baton_pipe_cloexec_nonblock(int fds[2]) { return pipe2(fds, O_CLOEXEC | O_NONBLOCK); }

// A close-on-exec epoll instance, or -1 with errno set.
static inline int baton_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

// Watches `fd` for input (level-triggered); 0 on success, -1 with errno set.
static inline int baton_epoll_watch_input(int epfd, int fd) {
    struct epoll_event event;
    event.events = EPOLLIN;
    event.data.fd = fd;
    return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &event);
}
#endif

#endif
