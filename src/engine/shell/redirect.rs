//! Redirections: `<`, `>`, `>>`, `>|`, `<>`, `<&`, `>&`, here-documents and here-strings,
//! and bash's `&>`/`&>>`. Applied to the current descriptor table; the caller restores
//! it after the command (except for `exec`).

use super::ast::*;
use super::fs::{Content, Data, Errno, WriteMode};
use super::interp::{Ex, Interp};
use super::io::{Fd, Input, StreamData};
use super::kernel::device;

impl Interp<'_> {
    /// Applies redirections; `Ok(Err(status))` if one failed (its message printed).
    pub fn apply_redirects(&mut self, redirects: &[Redirect]) -> Ex<Result<(), i32>> {
        for r in redirects {
            if let Err(status) = self.apply_redirect(r)? {
                return Ok(Err(status));
            }
        }
        Ok(Ok(()))
    }

    fn fail_status(&self) -> i32 {
        if self.st.dialect == Dialect::Bash {
            1
        } else {
            2
        }
    }

    fn apply_redirect(&mut self, r: &Redirect) -> Ex<Result<(), i32>> {
        let default_fd = match r.op {
            RedirOp::In
            | RedirOp::DupIn
            | RedirOp::ReadWrite
            | RedirOp::Heredoc { .. }
            | RedirOp::HereString => 0,
            _ => 1,
        };
        let fd = r.fd.unwrap_or(default_fd);
        match (&r.op, &r.target) {
            (RedirOp::Heredoc { .. }, RedirTarget::Heredoc(cell)) => {
                let text = match cell.get() {
                    Some(doc) if doc.quoted => match doc.body.parts.first() {
                        Some(WordPart::Single(s)) => s.clone(),
                        _ => String::new(),
                    },
                    Some(doc) => {
                        let body = doc.body.clone();
                        self.expand_string(&body)?
                    }
                    None => String::new(),
                };
                self.fds.set(
                    fd,
                    Some(Fd::Input(Input::new(StreamData::known(text.into_bytes())))),
                );
                Ok(Ok(()))
            }
            (RedirOp::Heredoc { .. }, RedirTarget::Word(_)) => Ok(Ok(())),
            (_, RedirTarget::Heredoc(_)) => Ok(Ok(())),
            (op, RedirTarget::Word(w)) => {
                let target = self.expand_string(w)?;
                self.apply_word_redirect(*op, fd, r.fd.is_some(), &target)
            }
        }
    }

    fn apply_word_redirect(
        &mut self,
        op: RedirOp,
        fd: u32,
        explicit_fd: bool,
        target: &str,
    ) -> Ex<Result<(), i32>> {
        match op {
            RedirOp::HereString => {
                let mut bytes = target.as_bytes().to_vec();
                bytes.push(b'\n');
                self.fds
                    .set(fd, Some(Fd::Input(Input::new(StreamData::known(bytes)))));
            }
            RedirOp::In | RedirOp::ReadWrite => {
                let path = self.abs(target);
                if op == RedirOp::ReadWrite
                    && self.fs.stat(&path).is_err()
                    && device(&path).is_none()
                {
                    if let Err(e) = self.sys_write(&path, Data::Bytes(&[]), WriteMode::Append) {
                        self.take_pending()?;
                        return self.redirect_error(target, e, true);
                    }
                }
                match device(&path) {
                    Some("stdin") => return Ok(Ok(())),
                    Some("stdout") | Some("stderr") => {
                        let src = if device(&path) == Some("stdout") {
                            1
                        } else {
                            2
                        };
                        let f = self.fds.get(src).cloned();
                        self.fds.set(fd, f);
                        return Ok(Ok(()));
                    }
                    _ => {}
                }
                match self.sys_read(&path) {
                    Ok(Content::Bytes(b)) => {
                        self.fds
                            .set(fd, Some(Fd::Input(Input::new(StreamData::known(b)))));
                    }
                    Ok(Content::Unknown { size }) => {
                        self.fds.set(
                            fd,
                            Some(Fd::Input(Input::new(StreamData {
                                bytes: Vec::new(),
                                unknown: size,
                            }))),
                        );
                    }
                    Err(e) => return self.redirect_error(target, e, false),
                }
            }
            RedirOp::Out
            | RedirOp::Clobber
            | RedirOp::Append
            | RedirOp::OutErr
            | RedirOp::AppendOutErr => {
                let append = matches!(op, RedirOp::Append | RedirOp::AppendOutErr);
                let path = self.abs(target);
                let fdv = match device(&path) {
                    Some("null") | Some("zero") | Some("random") | Some("tty") => Fd::Null,
                    Some("stdout") => self.fds.get(1).cloned().unwrap_or(Fd::Null),
                    Some("stderr") => self.fds.get(2).cloned().unwrap_or(Fd::Null),
                    Some(_) => Fd::Null,
                    None => {
                        if op == RedirOp::Out && self.st.opts.noclobber {
                            if let Ok(m) = self.fs.stat(&path) {
                                if m.is_file() {
                                    let msg = match self.st.dialect {
                                        Dialect::Bash => {
                                            format!("{target}: cannot overwrite existing file")
                                        }
                                        _ => format!("cannot create {target}: File exists"),
                                    };
                                    self.shell_error(&msg)?;
                                    return Ok(Err(self.fail_status()));
                                }
                            }
                        }
                        let how = if append {
                            WriteMode::Append
                        } else {
                            WriteMode::Truncate
                        };
                        if let Err(e) = self.sys_write(&path, Data::Bytes(&[]), how) {
                            self.take_pending()?;
                            return self.redirect_error(target, e, true);
                        }
                        Fd::File(path)
                    }
                };
                self.fds.set(fd, Some(fdv.clone()));
                if matches!(op, RedirOp::OutErr | RedirOp::AppendOutErr) {
                    self.fds.set(2, Some(fdv));
                }
            }
            RedirOp::DupIn | RedirOp::DupOut => {
                if target == "-" {
                    self.fds.set(fd, None);
                    return Ok(Ok(()));
                }
                let digits = target.strip_suffix('-').unwrap_or(target);
                match digits.parse::<u32>() {
                    Ok(src) => match self.fds.get(src).cloned() {
                        Some(f) => {
                            self.fds.set(fd, Some(f));
                            if target.ends_with('-') {
                                self.fds.set(src, None);
                            }
                        }
                        None => {
                            self.shell_error(&format!("{src}: Bad file descriptor"))?;
                            return Ok(Err(self.fail_status()));
                        }
                    },
                    Err(_)
                        if op == RedirOp::DupOut
                            && !explicit_fd
                            && self.st.dialect.bash_syntax() =>
                    {
                        return self.apply_word_redirect(RedirOp::OutErr, 1, false, target);
                    }
                    Err(_) => {
                        let msg = match self.st.dialect {
                            Dialect::Bash => format!("{target}: ambiguous redirect"),
                            _ => "Syntax error: Bad fd number".to_string(),
                        };
                        self.shell_error(&msg)?;
                        return Ok(Err(self.fail_status()));
                    }
                }
            }
            RedirOp::Heredoc { .. } => {}
        }
        Ok(Ok(()))
    }

    fn redirect_error(&mut self, target: &str, e: Errno, create: bool) -> Ex<Result<(), i32>> {
        let msg = match self.st.dialect {
            Dialect::Bash => format!("{target}: {e}"),
            Dialect::Dash => {
                let reason = match (e, create) {
                    (Errno::NotFound, true) => "Directory nonexistent".to_string(),
                    (Errno::NotFound, false) => "No such file".to_string(),
                    _ => e.to_string(),
                };
                format!(
                    "cannot {} {target}: {reason}",
                    if create { "create" } else { "open" }
                )
            }
            Dialect::Ash => format!(
                "can't {} {target}: {e}",
                if create { "create" } else { "open" }
            ),
        };
        self.shell_error(&msg)?;
        Ok(Err(self.fail_status()))
    }
}
