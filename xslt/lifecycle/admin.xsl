<?xml version="1.0" encoding="UTF-8"?>
<!--
  lifecycle/admin.xsl - the access lifecycle page of portal administrators
  at /admin/lifecycle (modules/lifecycle_admin.c).

  Input, inside the core's <page> envelope (see lifecycle_admin.c):
    <lifecycle enabled="" inactivity-days="" warn-days="" grace-days=""
        attestation-days="" deprovision="" contact="" action="" rule=""
        user="" from="" to="">
      <upcoming><item kind="" user="" login="" rule="" at=""/></upcoming>
      <grace><user id="" login="" name="" rule="" reason="" disabled-at=""
        delete-at=""/></grace>
      <exemptions><user id="" login="" name="" reason="" by="" at=""/>
      </exemptions>
      <group-exemptions><group id="" name="" reason="" by="" at=""/>
      </group-exemptions>
      <sponsors><organisation slug="" name="" sponsor="" sponsor-name=""
        attested-at="" due=""/></sponsors>
      <recent><entry .../></recent>
      <audit><entry id="" at="" actor="" action="" subject="" login="">
        detail</entry></audit>
    </lifecycle>

  Sections: the policy in force, upcoming actions (30 days), accounts in
  their grace period with a re-enable form (reason required), exemptions
  of accounts and of directory groups (add and remove, with a reason),
  sponsors, recent actions, and the audit trail with its filters and a
  CSV link carrying the same filters.  Every POST form starts with the
  CSRF field.  To add a section, add its element in lifecycle_admin.c and
  a template below.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="../common.xsl"/>

  <xsl:variable name="lc" select="/page/lifecycle"/>

  <xsl:template match="page" mode="title">Access lifecycle</xsl:template>

  <xsl:template match="page" mode="main">
    <div class="container">
      <div class="page-head">
        <h1>Access lifecycle</h1>
        <p class="muted">
          <xsl:choose>
            <xsl:when test="$lc/@enabled = 'yes'">The sweep runs daily.</xsl:when>
            <xsl:otherwise>The sweep is off ([lifecycle] enabled = false).</xsl:otherwise>
          </xsl:choose>
          <xsl:text> Inactivity: </xsl:text><xsl:value-of select="$lc/@inactivity-days"/>
          <xsl:text> days; warnings </xsl:text><xsl:value-of select="$lc/@warn-days"/>
          <xsl:text> days before; personal data deleted </xsl:text><xsl:value-of select="$lc/@grace-days"/>
          <xsl:text> days after disabling; attestation every </xsl:text><xsl:value-of select="$lc/@attestation-days"/>
          <xsl:text> days (0: off); directory deprovisioning: </xsl:text><xsl:value-of select="$lc/@deprovision"/>
          <xsl:text>.</xsl:text>
        </p>
      </div>

      <section aria-labelledby="h-upcoming">
        <h2 id="h-upcoming">Upcoming actions (next 30 days)</h2>
        <xsl:choose>
          <xsl:when test="not($lc/upcoming/item)"><p class="muted">Nothing due in the next 30 days.</p></xsl:when>
          <xsl:otherwise>
            <table class="table stack">
              <thead><tr><th scope="col">When</th><th scope="col">Action</th><th scope="col">Account or organisation</th><th scope="col">Rule</th></tr></thead>
              <tbody>
                <xsl:for-each select="$lc/upcoming/item">
                  <tr>
                    <td data-label="When"><xsl:value-of select="@at"/></td>
                    <td data-label="Action"><xsl:value-of select="@kind"/></td>
                    <td data-label="Account"><code class="wrap"><xsl:value-of select="@login"/></code></td>
                    <td data-label="Rule"><xsl:value-of select="@rule"/></td>
                  </tr>
                </xsl:for-each>
              </tbody>
            </table>
          </xsl:otherwise>
        </xsl:choose>
      </section>

      <section aria-labelledby="h-grace">
        <h2 id="h-grace">Disabled, in their grace period</h2>
        <p class="muted">Re-enabling restarts the inactivity clock. An account disabled for the end of a term, or by the directory, is disabled again by the next run unless its term is extended or the directory restores it.</p>
        <xsl:choose>
          <xsl:when test="not($lc/grace/user)"><p class="muted">No account is in its grace period.</p></xsl:when>
          <xsl:otherwise>
            <table class="table stack">
              <thead><tr><th scope="col">Account</th><th scope="col">Rule and reason</th><th scope="col">Disabled</th><th scope="col">Deleted on</th><th scope="col">Re-enable</th></tr></thead>
              <tbody>
                <xsl:for-each select="$lc/grace/user">
                  <tr>
                    <th scope="row" data-label="Account"><xsl:value-of select="@name"/><xsl:text> </xsl:text><code class="wrap"><xsl:value-of select="@login"/></code></th>
                    <td data-label="Rule"><xsl:value-of select="@rule"/><xsl:text>: </xsl:text><xsl:value-of select="@reason"/></td>
                    <td data-label="Disabled"><xsl:value-of select="@disabled-at"/></td>
                    <td data-label="Deleted on"><xsl:value-of select="@delete-at"/></td>
                    <td data-label="Re-enable">
                      <form method="post" action="/admin/lifecycle/users/{@id}/enable">
                        <xsl:call-template name="csrf-field"/>
                        <label class="visually-hidden" for="enable-{@id}">Reason</label>
                        <input class="input" type="text" id="enable-{@id}" name="reason" required="required" maxlength="255" placeholder="Reason"/>
                        <button class="button" type="submit">Re-enable</button>
                      </form>
                    </td>
                  </tr>
                </xsl:for-each>
              </tbody>
            </table>
          </xsl:otherwise>
        </xsl:choose>
      </section>

      <section aria-labelledby="h-exempt">
        <h2 id="h-exempt">Exemptions</h2>
        <p class="muted">Exempt accounts, and members of exempt directory groups (the group exactly as the directory reports it, e.g. its DN), are never warned, disabled or deleted by the lifecycle.</p>
        <table class="table stack">
          <thead><tr><th scope="col">Exempt</th><th scope="col">Reason</th><th scope="col">By, when</th><th scope="col">Remove</th></tr></thead>
          <tbody>
            <xsl:for-each select="$lc/exemptions/user">
              <tr>
                <th scope="row" data-label="Exempt"><xsl:value-of select="@name"/><xsl:text> </xsl:text><code class="wrap"><xsl:value-of select="@login"/></code></th>
                <td data-label="Reason"><xsl:value-of select="@reason"/></td>
                <td data-label="By"><xsl:value-of select="@by"/><xsl:text> </xsl:text><xsl:value-of select="@at"/></td>
                <td data-label="Remove">
                  <form method="post" action="/admin/lifecycle/exemptions/{@id}/remove">
                    <xsl:call-template name="csrf-field"/>
                    <label class="visually-hidden" for="unexempt-{@id}">Reason</label>
                    <input class="input" type="text" id="unexempt-{@id}" name="reason" required="required" maxlength="255" placeholder="Reason"/>
                    <button class="button" type="submit">Remove</button>
                  </form>
                </td>
              </tr>
            </xsl:for-each>
            <xsl:for-each select="$lc/group-exemptions/group">
              <tr>
                <th scope="row" data-label="Exempt">Group <code class="wrap"><xsl:value-of select="@name"/></code></th>
                <td data-label="Reason"><xsl:value-of select="@reason"/></td>
                <td data-label="By"><xsl:value-of select="@by"/><xsl:text> </xsl:text><xsl:value-of select="@at"/></td>
                <td data-label="Remove">
                  <form method="post" action="/admin/lifecycle/group-exemptions/{@id}/remove">
                    <xsl:call-template name="csrf-field"/>
                    <label class="visually-hidden" for="ungroup-{@id}">Reason</label>
                    <input class="input" type="text" id="ungroup-{@id}" name="reason" required="required" maxlength="255" placeholder="Reason"/>
                    <button class="button" type="submit">Remove</button>
                  </form>
                </td>
              </tr>
            </xsl:for-each>
          </tbody>
        </table>
        <form class="filters" method="post" action="/admin/lifecycle/exemptions">
          <xsl:call-template name="csrf-field"/>
          <div class="field"><label for="ex-login">Account login</label><input class="input" type="text" id="ex-login" name="login" required="required" maxlength="255"/></div>
          <div class="field field-grow"><label for="ex-reason">Reason</label><input class="input" type="text" id="ex-reason" name="reason" required="required" maxlength="255"/></div>
          <div class="field field-actions"><button class="button button-primary" type="submit">Exempt account</button></div>
        </form>
        <form class="filters" method="post" action="/admin/lifecycle/group-exemptions">
          <xsl:call-template name="csrf-field"/>
          <div class="field"><label for="gx-group">Directory group</label><input class="input" type="text" id="gx-group" name="group" required="required" maxlength="1024"/></div>
          <div class="field field-grow"><label for="gx-reason">Reason</label><input class="input" type="text" id="gx-reason" name="reason" required="required" maxlength="255"/></div>
          <div class="field field-actions"><button class="button button-primary" type="submit">Exempt group</button></div>
        </form>
      </section>

      <section aria-labelledby="h-sponsors">
        <h2 id="h-sponsors">Sponsors and attestation</h2>
        <table class="table stack">
          <thead><tr><th scope="col">Organisation</th><th scope="col">Sponsor</th><th scope="col">Roster confirmed</th><th scope="col">Next due</th></tr></thead>
          <tbody>
            <xsl:for-each select="$lc/sponsors/organisation">
              <tr>
                <th scope="row" data-label="Organisation"><a href="/organisations/{@slug}/attestation"><xsl:value-of select="@name"/></a></th>
                <td data-label="Sponsor">
                  <xsl:choose>
                    <xsl:when test="@sponsor != ''"><xsl:value-of select="@sponsor-name"/><xsl:text> </xsl:text><code class="wrap"><xsl:value-of select="@sponsor"/></code></xsl:when>
                    <xsl:otherwise><span class="muted">None</span></xsl:otherwise>
                  </xsl:choose>
                </td>
                <td data-label="Confirmed"><xsl:value-of select="@attested-at"/></td>
                <td data-label="Due"><xsl:if test="$lc/@attestation-days != '0'"><xsl:value-of select="@due"/></xsl:if></td>
              </tr>
            </xsl:for-each>
          </tbody>
        </table>
        <form class="filters" method="post" action="/admin/lifecycle/sponsors">
          <xsl:call-template name="csrf-field"/>
          <div class="field"><label for="sp-org">Organisation (slug)</label><input class="input" type="text" id="sp-org" name="organisation" required="required" maxlength="64"/></div>
          <div class="field"><label for="sp-login">Sponsor login (a channel manager; empty to clear)</label><input class="input" type="text" id="sp-login" name="sponsor" maxlength="255"/></div>
          <div class="field field-actions"><button class="button button-primary" type="submit">Set sponsor</button></div>
        </form>
      </section>

      <section aria-labelledby="h-recent">
        <h2 id="h-recent">Recent actions</h2>
        <xsl:call-template name="entries"><xsl:with-param name="rows" select="$lc/recent/entry"/></xsl:call-template>
      </section>

      <section aria-labelledby="h-audit">
        <h2 id="h-audit">Audit trail</h2>
        <form class="filters" method="get" action="/admin/lifecycle" role="search" aria-label="Filter the audit trail">
          <div class="field"><label for="f-action">Action</label><input class="input" type="text" id="f-action" name="action" value="{$lc/@action}" placeholder="lifecycle.disable"/></div>
          <div class="field"><label for="f-rule">Rule</label><input class="input" type="text" id="f-rule" name="rule" value="{$lc/@rule}" placeholder="inactivity"/></div>
          <div class="field"><label for="f-user">Account login</label><input class="input" type="text" id="f-user" name="user" value="{$lc/@user}"/></div>
          <div class="field"><label for="f-from">From</label><input class="input" type="date" id="f-from" name="from" value="{$lc/@from}"/></div>
          <div class="field"><label for="f-to">To</label><input class="input" type="date" id="f-to" name="to" value="{$lc/@to}"/></div>
          <div class="field field-actions">
            <button class="button button-primary" type="submit">Filter</button>
            <button class="button" type="submit" formaction="/admin/lifecycle/audit.csv">Export CSV</button>
            <a class="button button-quiet" href="/admin/lifecycle">Clear</a>
          </div>
        </form>
        <xsl:call-template name="entries"><xsl:with-param name="rows" select="$lc/audit/entry"/></xsl:call-template>
      </section>
    </div>
  </xsl:template>

  <xsl:template name="entries">
    <xsl:param name="rows"/>
    <xsl:choose>
      <xsl:when test="not($rows)"><p class="muted">No entries.</p></xsl:when>
      <xsl:otherwise>
        <table class="table stack">
          <thead><tr><th scope="col">When</th><th scope="col">Action</th><th scope="col">Account</th><th scope="col">By</th><th scope="col">Detail</th></tr></thead>
          <tbody>
            <xsl:for-each select="$rows">
              <tr>
                <td data-label="When"><xsl:value-of select="@at"/></td>
                <td data-label="Action"><xsl:value-of select="@action"/></td>
                <td data-label="Account"><code class="wrap"><xsl:value-of select="@login"/></code></td>
                <td data-label="By">
                  <xsl:choose>
                    <xsl:when test="@actor != ''"><xsl:value-of select="@actor"/></xsl:when>
                    <xsl:otherwise>system</xsl:otherwise>
                  </xsl:choose>
                </td>
                <td data-label="Detail"><xsl:value-of select="."/></td>
              </tr>
            </xsl:for-each>
          </tbody>
        </table>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
