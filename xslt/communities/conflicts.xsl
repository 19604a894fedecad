<?xml version="1.0" encoding="UTF-8"?>
<!--
  communities/conflicts.xsl - competitor conflict sets, for portal
  administrators, at /admin/conflicts (modules/communities/conflicts.c).

  Input, inside the core's <page> envelope:

    <conflicts>
      <organisation slug="" name="" kind="vendor|partner"/>...
      <conflict a-slug="" a-name="" b-slug="" b-name="" reason="" created="" by=""/>...
      <error>message</error> <form org-a="" org-b="" reason=""/>
    </conflicts>

  A form to declare that two organisations compete (two selects and a
  reason) and the declared pairs, each with a Remove form; all POST forms
  carry the CSRF field.

  To add a column, add its attribute in conflicts.c and a th/td pair below.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="../common.xsl"/>

  <xsl:variable name="cs" select="/page/conflicts"/>

  <xsl:template match="page" mode="title">Competitors</xsl:template>

  <xsl:template match="page" mode="main">
    <div class="container">
      <div class="page-head">
        <h1>Competitors</h1>
        <p class="muted">Partner organisations declared here are kept apart: nobody from one is invited, added or approved into a community that already holds the other, unless a manager overrides with a reason (recorded in the audit log).</p>
      </div>
      <xsl:if test="$cs/error">
        <div class="error-summary" role="alert" tabindex="-1" aria-labelledby="cs-error-title">
          <h2 id="cs-error-title">That did not work</h2>
          <p><xsl:value-of select="$cs/error"/></p>
        </div>
      </xsl:if>
      <section class="panel" aria-labelledby="add-title">
        <h2 id="add-title">Declare competitors</h2>
        <form method="post" action="/admin/conflicts" class="filters">
          <xsl:call-template name="csrf-field"/>
          <input type="hidden" name="action" value="add"/>
          <xsl:call-template name="org-select">
            <xsl:with-param name="name" select="'org_a'"/>
            <xsl:with-param name="label" select="'Organisation'"/>
            <xsl:with-param name="current" select="$cs/form/@org-a"/>
          </xsl:call-template>
          <xsl:call-template name="org-select">
            <xsl:with-param name="name" select="'org_b'"/>
            <xsl:with-param name="label" select="'competes with'"/>
            <xsl:with-param name="current" select="$cs/form/@org-b"/>
          </xsl:call-template>
          <div class="field field-grow">
            <label for="cs-reason">Reason</label>
            <input class="input" type="text" id="cs-reason" name="reason" maxlength="512" value="{$cs/form/@reason}"/>
          </div>
          <div class="field field-actions">
            <button class="button button-primary" type="submit">Declare</button>
          </div>
        </form>
      </section>
      <section class="section" aria-labelledby="list-title">
        <h2 id="list-title">Declared competitors</h2>
        <xsl:choose>
          <xsl:when test="not($cs/conflict)">
            <div class="empty-state"><p class="empty-title">No competitors are declared.</p></div>
          </xsl:when>
          <xsl:otherwise>
            <table class="table stack">
              <caption class="visually-hidden">Declared competitors</caption>
              <thead>
                <tr>
                  <th scope="col">Organisations</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Declared</th>
                  <th scope="col"><span class="visually-hidden">Action</span></th>
                </tr>
              </thead>
              <tbody>
                <xsl:for-each select="$cs/conflict">
                  <tr>
                    <th scope="row" data-label="Organisations">
                      <xsl:value-of select="@a-name"/>
                      <xsl:text> · </xsl:text>
                      <xsl:value-of select="@b-name"/>
                    </th>
                    <td data-label="Reason"><xsl:value-of select="@reason"/></td>
                    <td data-label="Declared" class="nowrap">
                      <xsl:value-of select="@created"/>
                      <xsl:if test="@by"><xsl:text> by </xsl:text><xsl:value-of select="@by"/></xsl:if>
                    </td>
                    <td class="cell-action">
                      <form method="post" action="/admin/conflicts">
                        <xsl:call-template name="csrf-field"/>
                        <input type="hidden" name="action" value="remove"/>
                        <input type="hidden" name="org_a" value="{@a-slug}"/>
                        <input type="hidden" name="org_b" value="{@b-slug}"/>
                        <button class="button button-small button-danger" type="submit">Remove<span class="visually-hidden"><xsl:text> </xsl:text><xsl:value-of select="@a-name"/> · <xsl:value-of select="@b-name"/></span></button>
                      </form>
                    </td>
                  </tr>
                </xsl:for-each>
              </tbody>
            </table>
          </xsl:otherwise>
        </xsl:choose>
      </section>
    </div>
  </xsl:template>

  <xsl:template name="org-select">
    <xsl:param name="name"/>
    <xsl:param name="label"/>
    <xsl:param name="current"/>
    <div class="field">
      <label for="cs-{$name}"><xsl:value-of select="$label"/></label>
      <select class="input" id="cs-{$name}" name="{$name}" required="required">
        <option value="">Choose…</option>
        <xsl:for-each select="$cs/organisation[@kind = 'partner']">
          <option value="{@slug}">
            <xsl:if test="@slug = $current"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if>
            <xsl:value-of select="@name"/>
          </option>
        </xsl:for-each>
      </select>
    </div>
  </xsl:template>

</xsl:stylesheet>
