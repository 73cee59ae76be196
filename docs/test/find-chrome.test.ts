// The browser tests find Chrome, Chromium or Edge where Linux, macOS and Windows put them, or at CHROME_PATH, and say what to install otherwise.

import { describe, expect, it } from "vitest";
import { chromeCandidates, findChrome, installAdvice } from "./browser.js";

const only = (path: string) => (p: string) => p === path;
const none = () => false;

describe("finding a browser for the browser tests", () => {
  it("takes CHROME_PATH first, and says so when it points nowhere", () => {
    expect(findChrome("linux", { CHROME_PATH: "/opt/my/chrome" }, only("/opt/my/chrome"))).toBe("/opt/my/chrome");
    expect(() => findChrome("linux", { CHROME_PATH: "/opt/missing" }, none)).toThrow(/CHROME_PATH is \/opt\/missing, but there is no file there/);
  });

  it("finds Debian's Chromium, Ubuntu's snap and Google Chrome on Linux", () => {
    expect(findChrome("linux", {}, only("/usr/bin/chromium"))).toBe("/usr/bin/chromium");
    expect(findChrome("linux", {}, only("/snap/bin/chromium"))).toBe("/snap/bin/chromium");
    expect(findChrome("linux", {}, only("/usr/bin/google-chrome"))).toBe("/usr/bin/google-chrome");
  });

  it("finds Chrome in /Applications or ~/Applications on macOS", () => {
    expect(findChrome("darwin", {}, only("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"))).toBe("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome");
    expect(findChrome("darwin", { HOME: "/Users/ada" }, only("/Users/ada/Applications/Chromium.app/Contents/MacOS/Chromium"))).toBe("/Users/ada/Applications/Chromium.app/Contents/MacOS/Chromium");
  });

  it("finds Chrome per user or per machine, or Edge, on Windows", () => {
    const env = { LOCALAPPDATA: "C:\\Users\\ada\\AppData\\Local", PROGRAMFILES: "C:\\Program Files", "PROGRAMFILES(X86)": "C:\\Program Files (x86)" };
    expect(findChrome("win32", env, only("C:\\Users\\ada\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe"))).toBe("C:\\Users\\ada\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe");
    expect(findChrome("win32", env, only("C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe"))).toBe("C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe");
    expect(chromeCandidates("win32", env).every((p) => p.startsWith("C:\\"))).toBe(true);
  });

  it("names what to install on each system when nothing is found", () => {
    expect(() => findChrome("linux", {}, none)).toThrow(/apt-get install chromium/);
    expect(() => findChrome("darwin", {}, none)).toThrow(/Install Google Chrome/);
    expect(() => findChrome("win32", {}, none)).toThrow(/Microsoft Edge/);
    expect(installAdvice("linux")).toContain("CHROME_PATH");
  });
});
