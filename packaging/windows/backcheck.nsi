; NSIS installer for the one-folder Windows build (dist\backcheck from packaging/backcheck.spec).
; Compiled by packaging/windows/make_installer.sh: in the release workflow on Windows, and in
; tools/test with Debian's makensis against a stub payload, so the script is checked on every CI run.
Unicode true
!include "MUI2.nsh"
!include "x64.nsh"

!ifndef VERSION
  !error "pass -DVERSION=x.y.z"
!endif
!ifndef SRCDIR
  !error "pass -DSRCDIR=<the one-folder app>"
!endif
!ifndef OUTFILE
  !define OUTFILE "backcheck-${VERSION}-windows-x64-setup.exe"
!endif
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Backcheck"

Name "Backcheck ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\Backcheck"
InstallDirRegKey HKLM "${UNINSTALL_KEY}" "InstallLocation"
RequestExecutionLevel admin
SetCompressor /SOLID lzma

!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "Backcheck needs 64-bit Windows."
    Abort
  ${EndIf}
  SetRegView 64
  SetShellVarContext all  ; the Start menu entry is for every user, like the install folder
FunctionEnd

Section "Backcheck"
  SetOutPath "$INSTDIR"
  File /r "${SRCDIR}/*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortCut "$SMPROGRAMS\Backcheck.lnk" "$INSTDIR\backcheck.exe"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "Backcheck"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "Backcheck maintainers"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\backcheck.exe"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Function un.onInit
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Section "Uninstall"
  Delete "$SMPROGRAMS\Backcheck.lnk"
  ; Only what the installer put there: $INSTDIR may be a folder the user chose that holds more.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\backcheck.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
SectionEnd
