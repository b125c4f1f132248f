"""The window's actions, menus and toolbar: every command in one place, with its
shortcut, icon and status tip."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QUndoStack
from PySide6.QtWidgets import QComboBox, QMainWindow, QToolButton, QWidget

from satchel.ui.icons import icon

ICON_PROPERTY = "satchelIcon"
SORT_LABELS = (("relevance", "Relevance"), ("newest", "Newest"), ("used", "Most used"),
               ("title", "Title"))  # fmt: skip
Shortcut = QKeySequence | QKeySequence.StandardKey | str | None


class WindowActions:
    """The commands of the library window; the parts that carry them out connect to
    their `triggered` signals."""

    def __init__(self, window: QMainWindow, undo_stack: QUndoStack) -> None:
        self._window = window
        key = QKeySequence.StandardKey
        self.import_files = self._action("&Import Files…", "import", "Ctrl+I",
                                         "Add files to the library")  # fmt: skip
        self.import_folder = self._action("Import &Folder…", "folder", "Ctrl+Shift+I",
                                          "Add a folder and everything in it")  # fmt: skip
        self.new_version = self._action("&New Version of File…", "import", "Ctrl+Shift+N",
                                        "Replace the selected asset's file; earlier versions "
                                        "stay in its history")  # fmt: skip
        self.add_to_collection = self._action("Add to &Collection…", shortcut="Ctrl+Shift+K",
                                              tip="Put the selected asset in a collection")  # fmt: skip
        self.remove_from_collection = self._action(
            "Remove from Collection", tip="Take the selected asset out of this collection"
        )
        self.move_up = self._action("Move &Up in Collection", shortcut="Alt+Up",
                                    tip="Earlier in the collection's order")  # fmt: skip
        self.move_down = self._action("Move Do&wn in Collection", shortcut="Alt+Down",
                                      tip="Later in the collection's order")  # fmt: skip
        self.synonyms = self._action("Search S&ynonyms…", tip="The words a search also "
                                     "looks for: spec sheet finds datasheet")  # fmt: skip
        self.documents = self._action("My &Documents…", "open", "Ctrl+Shift+M",
                                      "The PDFs you generated: open, copy, make again")  # fmt: skip
        self.requests = self._action("&Requests…", "requests", "Ctrl+R",
                                     "Your edit requests and marketing's review queue")  # fmt: skip
        self.sync = self._action("S&ync with Team Hub", shortcut="F9",
                                 tip="Send what you did and get what the team did now")  # fmt: skip
        self.conflicts = self._action("Resolve Sync &Conflicts…",
                                      tip="Edits made here that the team hub also changed")  # fmt: skip
        self.quit = self._action("&Quit", "quit", key.Quit)
        self.quit.setMenuRole(QAction.MenuRole.QuitRole)
        self.find = self._action("&Find", "search", key.Find, "Search the library")
        self.undo = undo_stack.createUndoAction(window, "&Undo")
        self.redo = undo_stack.createRedoAction(window, "&Redo")
        for action, shortcut, name in ((self.undo, key.Undo, "undo"),
                                       (self.redo, key.Redo, "redo")):  # fmt: skip
            action.setShortcut(shortcut)
            action.setIcon(icon(name))
            action.setProperty(ICON_PROPERTY, name)
        self.grid = self._action("&Grid", "grid", "Ctrl+1", "Show results as thumbnails")
        self.list = self._action("&List", "list", "Ctrl+2", "Show results as a list")
        views = QActionGroup(window)
        for action in (self.grid, self.list):
            action.setCheckable(True)
            views.addAction(action)
        self.insights = self._action("&Insights", shortcut="Ctrl+3",
                                     tip="What is used, wasted, asked for and won with")  # fmt: skip
        self.insights.setCheckable(True)
        self.sort: dict[str, QAction] = {}
        sorts = QActionGroup(window)
        for sort, label in SORT_LABELS:
            action = self._action(label, tip=f"Sort results by {label.lower()}")
            action.setCheckable(True)
            action.setData(sort)
            sorts.addAction(action)
            self.sort[sort] = action
        self.sort["relevance"].setChecked(True)
        self.hidden = self._action("Include &Retired and Expired",
                                   tip="Also list retired and expired assets")  # fmt: skip
        self.hidden.setCheckable(True)
        self.open = self._action("&Open", "open", "Ctrl+Return",
                                 "Open the selected asset in its usual program")  # fmt: skip
        self.export = self._action("&Export a Copy…", "export", key.SaveAs,
                                   "Save a copy of the selected asset")  # fmt: skip
        self.copy = self._action("&Copy File", "copy", "Ctrl+Shift+C",
                                 "Put the selected file on the clipboard")  # fmt: skip
        self.reveal = self._action("Show in &Folder", "folder", "Ctrl+Shift+R",
                                   "Show the file in the file manager")  # fmt: skip
        self.customize = self._action("C&ustomize…", "edit", "Ctrl+Shift+U",
                                      "Fill in this template and make a PDF")  # fmt: skip
        self.design = self._action("&Design Template…", "edit", "Ctrl+Shift+D",
                                   "Mark the fields reps may change on this PDF")  # fmt: skip
        self.present = self._action("&Present", "present", "F5",
                                    "Show the pages full screen to a customer (Esc ends)")  # fmt: skip
        self.on_asset = [self.customize, self.design, self.open, self.present, self.export,
                         self.copy, self.reveal]  # fmt: skip
        self.ask = self._action("&Ask Marketing for Collateral…", shortcut="Ctrl+Shift+A",
                                tip="Tell marketing what you need that the library lacks")  # fmt: skip
        self.note = self._action("&Log a Field Note…", shortcut="Ctrl+Shift+L",
                                 tip="What a competitor claimed or offered, in seconds")  # fmt: skip
        self.field = self._action("Field Notes and Re&quests…", shortcut="Ctrl+Shift+F",
                                  tip="Notes, objections and content requests from the field")  # fmt: skip
        self.settings = self._action("&Settings…", "settings", key.Preferences)
        if self.settings.shortcut().isEmpty():
            self.settings.setShortcut(QKeySequence("Ctrl+,"))
        self.settings.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.profile = self._action("&Profile…", "profile", tip="Edit your profile")
        self.log = self._action("Show &Log Folder", tip="Open the folder with the logs")
        self.guide = self._action("&User Guide", shortcut=key.HelpContents,
                                  tip="How Satchel works, for your role")  # fmt: skip
        self.shortcuts = self._action("&Keyboard Shortcuts", shortcut="Ctrl+/",
                                      tip="Every key Satchel answers to")  # fmt: skip
        self.about = self._action("&About Satchel")
        self.about.setMenuRole(QAction.MenuRole.AboutRole)

    def _action(self, text: str, icon_name: str | None = None, shortcut: Shortcut = None,
                tip: str = "") -> QAction:  # fmt: skip
        action = QAction(text, self._window)
        if icon_name:
            action.setIcon(icon(icon_name))
            action.setProperty(ICON_PROPERTY, icon_name)  # to recolour for light/dark
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(tip or text.replace("&", "").rstrip("…"))
        return action

    def install(self, sort_box: QComboBox, user_box: QWidget) -> QAction:
        """Build the menus and the toolbar; returns the toolbar's user-switcher entry
        (hidden unless the library is the demo)."""
        menu = self._window.menuBar()
        file_menu = menu.addMenu("&File")
        file_menu.addActions([self.import_files, self.import_folder, self.new_version])
        file_menu.addSeparator()
        file_menu.addActions([self.documents, self.requests, self.field, self.ask, self.note,
                              self.sync])  # fmt: skip
        file_menu.addSeparator()
        file_menu.addActions(self.on_asset)
        file_menu.addSeparator()
        file_menu.addAction(self.quit)
        edit_menu = menu.addMenu("&Edit")
        edit_menu.addActions([self.undo, self.redo])
        edit_menu.addSeparator()
        edit_menu.addActions([self.add_to_collection, self.remove_from_collection,
                              self.move_up, self.move_down])  # fmt: skip
        edit_menu.addSeparator()
        edit_menu.addActions([self.find, self.synonyms, self.conflicts, self.profile,
                              self.settings])  # fmt: skip
        view_menu = menu.addMenu("&View")
        view_menu.addActions([self.grid, self.list, self.insights])
        sort_menu = view_menu.addMenu("&Sort By")
        sort_menu.addActions(list(self.sort.values()))
        view_menu.addAction(self.hidden)
        help_menu = menu.addMenu("&Help")
        help_menu.addActions([self.guide, self.shortcuts])
        help_menu.addSeparator()
        help_menu.addActions([self.log, self.about])

        toolbar = self._window.addToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addActions([self.import_files, self.undo, self.redo])
        for action in (self.undo, self.redo):  # "Undo Change title" in the tooltip: a
            button = toolbar.widgetForAction(action)  # growing label shifted the toolbar
            assert isinstance(button, QToolButton)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        toolbar.addSeparator()
        toolbar.addActions([self.grid, self.list])
        toolbar.addWidget(sort_box)
        toolbar.addSeparator()
        toolbar.addActions([self.requests, self.profile, self.settings])
        user_entry = toolbar.addWidget(user_box)
        user_entry.setVisible(False)
        return user_entry

    def recolour(self) -> None:
        """Draw the icons again in the text colour (the system switched light/dark)."""
        for action in self._window.findChildren(QAction):
            name = action.property(ICON_PROPERTY)
            if isinstance(name, str):
                action.setIcon(icon(name))


def sort_box() -> QComboBox:
    box = QComboBox()
    box.setObjectName("sortBox")
    box.setAccessibleName("Sort by")
    for sort, label in SORT_LABELS:
        box.addItem(f"Sort: {label}", sort)
    return box
