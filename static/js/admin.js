'use strict';
// The admin's app list beside a table takes 300 px: below 1440 px it starts folded (the « button
// opens it, and Django remembers the choice), so the lists' columns fit.
(function () {
    const key = 'django.admin.navSidebarIsOpen';
    try {
        if (localStorage.getItem(key) === null && window.matchMedia('(max-width: 1439px)').matches) {
            localStorage.setItem(key, 'false');
        }
    } catch (error) {
        // Storage refused (a private window): the app list stays open, as Django shows it.
    }
}());
